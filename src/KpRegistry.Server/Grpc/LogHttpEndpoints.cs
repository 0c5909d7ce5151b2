using System.Text;
using KpRegistry.Domain.Transparency;
using KpRegistry.Server.Application;
using KpRegistry.Storage;

namespace KpRegistry.Server.Grpc;

/// <summary>
/// The log over plain HTTPS, as C2SP tlog-tiles serves it: <c>GET /log/checkpoint</c>,
/// <c>GET /log/tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> and <c>GET /log/tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c>.
/// No client certificate. Tiles are served up to the latest checkpoint's size; a tile path names
/// bytes that never change, so every tile is cached as immutable, the checkpoint only briefly.
/// </summary>
public static class LogHttpEndpoints
{
    private const string Immutable = "public, max-age=31536000, immutable";

    public static void MapLogEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/log/checkpoint", (TransparencyLog log, HttpContext http) =>
        {
            PublishedCheckpoint? latest = log.Latest;
            if (latest is null)
            {
                return Results.NotFound();
            }
            http.Response.Headers.CacheControl = "public, max-age=1";
            return Results.Text(latest.Note, "text/plain; charset=utf-8", Encoding.UTF8);
        });

        app.MapGet("/log/tile/{**path}", async (string path, TransparencyLog log, RegistryStore store, HttpContext http) =>
        {
            PublishedCheckpoint? latest = log.Latest;
            if (latest is null)
            {
                return Results.NotFound();
            }
            bool entries = path.StartsWith("entries/", StringComparison.Ordinal);
            if (!Tile.TryParse(entries ? path["entries/".Length..] : path, entries, out Tile tile) || !Exists(tile, latest.TreeSize))
            {
                return Results.NotFound();
            }
            byte[] bytes;
            if (entries)
            {
                long first = tile.Index * Tile.FullWidth;
                IReadOnlyList<StoredLogEntry> stored = await store.ReadLogEntriesAsync(first, tile.Width, http.RequestAborted);
                if (stored.Count != tile.Width || stored[0].Index != first)
                {
                    return Results.NotFound();
                }
                bytes = Tiles.EntryBundleBytes(stored.Select(e => (ReadOnlyMemory<byte>)e.Entry));
            }
            else
            {
                bytes = Tiles.HashTileBytes(log.Tree, tile);
            }
            http.Response.Headers.CacheControl = Immutable;
            return Results.Bytes(bytes, "application/octet-stream");
        });
    }

    /// <summary>
    /// True when the tree of <paramref name="treeSize"/> has this tile at this width: a full tile
    /// that is complete, or a partial one no wider than the hashes the level has there (a client
    /// holding an older checkpoint asks for the narrower partial tile it knows).
    /// </summary>
    private static bool Exists(Tile tile, long treeSize)
    {
        long full = Tile.FullTileCount(tile.Level, treeSize);
        if (tile.Index < full)
        {
            return true;
        }
        return tile.Index == full && tile.IsPartial && tile.Width <= Tile.PartialWidth(tile.Level, treeSize);
    }
}
