using Google.Protobuf;
using Grpc.Core;
using KpRegistry.Contracts.Transparency.V1;
using KpRegistry.Domain.Transparency;
using KpRegistry.Server.Application;
using KpRegistry.Storage;

namespace KpRegistry.Server.Grpc;

/// <summary>kp.transparency.v1.Log: public, no client certificate; proofs from the in-memory tree.</summary>
public sealed class LogGrpcService(TransparencyLog log, RegistryStore store) : Log.LogBase
{
    public const int MaxEntries = 1000;

    public override Task<GetCheckpointResponse> GetCheckpoint(GetCheckpointRequest request, ServerCallContext context)
    {
        PublishedCheckpoint latest = Latest();
        return Task.FromResult(new GetCheckpointResponse
        {
            Checkpoint = latest.Note,
            TreeSize = latest.TreeSize,
            RootHash = ByteString.CopyFrom(latest.RootHash),
            LogVerifierKey = log.VerifierKey.ToString(),
            Origin = log.Origin,
        });
    }

    public override Task<GetInclusionProofResponse> GetInclusionProof(GetInclusionProofRequest request, ServerCallContext context)
    {
        long size = request.TreeSize == 0 ? Latest().TreeSize : request.TreeSize;
        if (size < 0 || request.Index < 0 || request.Index >= size)
        {
            throw RegistryException.Invalid("index", $"must be at least 0 and below the tree size {size}.");
        }
        RequireIntegrated(size, "tree_size");
        var response = new GetInclusionProofResponse { Index = request.Index, TreeSize = size };
        response.Proof.AddRange(MerkleTree.InclusionProof(log.Tree, request.Index, size).Select(ByteString.CopyFrom));
        return Task.FromResult(response);
    }

    public override Task<GetConsistencyProofResponse> GetConsistencyProof(GetConsistencyProofRequest request, ServerCallContext context)
    {
        if (request.First <= 0 || request.First > request.Second)
        {
            throw RegistryException.Invalid("first", "must satisfy 0 < first <= second.");
        }
        RequireIntegrated(request.Second, "second");
        var response = new GetConsistencyProofResponse();
        response.Proof.AddRange(MerkleTree.ConsistencyProof(log.Tree, request.First, request.Second).Select(ByteString.CopyFrom));
        return Task.FromResult(response);
    }

    public override async Task<GetEntriesResponse> GetEntries(GetEntriesRequest request, ServerCallContext context)
    {
        if (request.Start < 0)
        {
            throw RegistryException.Invalid("start", "must be at least 0.");
        }
        if (request.Count is < 1 or > MaxEntries)
        {
            throw RegistryException.Invalid("count", $"must be 1 to {MaxEntries}.");
        }
        long end = log.IntegratedSize;
        if (request.Start >= end)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange, $"The log has {end} entries integrated; start {request.Start} is past its end."));
        }
        int count = (int)Math.Min(request.Count, end - request.Start);
        IReadOnlyList<StoredLogEntry> entries = await store.ReadLogEntriesAsync(request.Start, count, context.CancellationToken);
        var response = new GetEntriesResponse { Start = request.Start };
        response.Entries.AddRange(entries.Select(e => ByteString.CopyFrom(e.Entry)));
        return response;
    }

    private PublishedCheckpoint Latest() =>
        log.Latest ?? throw RegistryException.Precondition("The log has published no checkpoint yet.");

    private void RequireIntegrated(long size, string field)
    {
        if (size > log.IntegratedSize)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange, $"{field} {size} is above the {log.IntegratedSize} entries this server has integrated."));
        }
    }
}
