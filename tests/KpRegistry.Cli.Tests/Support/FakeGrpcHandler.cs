using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Net.Client;

namespace KpRegistry.Cli.Tests.Support;

/// <summary>
/// An HTTP handler that answers unary gRPC calls without a server: the test gives the response
/// message, or a status (with optional google.rpc.Status details), per method path. Enough to run
/// the real generated clients and the CLI's handling of their results.
/// </summary>
internal sealed class FakeGrpcHandler : HttpMessageHandler
{
    private readonly Func<string, byte[], Reply> _answer;

    public FakeGrpcHandler(Func<string, byte[], Reply> answer) => _answer = answer;

    /// <summary>Every call: the method path and the request message bytes.</summary>
    public List<(string Path, byte[] Request)> Calls { get; } = [];

    public GrpcChannel Channel() =>
        GrpcChannel.ForAddress("http://registry.test", new GrpcChannelOptions { HttpHandler = this, DisposeHttpClient = false });

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
        var message = body.Length >= 5 ? body[5..] : [];
        var path = request.RequestUri!.AbsolutePath;
        Calls.Add((path, message));
        var reply = _answer(path, message);

        var response = new HttpResponseMessage(HttpStatusCode.OK) { Version = HttpVersion.Version20, RequestMessage = request };
        if (reply.Message is null)
        {
            // Trailers-only response: the status travels in the headers.
            response.Content = new ByteArrayContent([]);
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            response.Headers.Add("grpc-status", ((int)reply.Code).ToString(System.Globalization.CultureInfo.InvariantCulture));
            response.Headers.Add("grpc-message", reply.Detail);
            if (reply.Details is not null)
                response.Headers.Add("grpc-status-details-bin", Convert.ToBase64String(reply.Details.ToByteArray()).TrimEnd('='));
            return response;
        }

        var payload = reply.Message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        response.Content = new ByteArrayContent(frame);
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        response.TrailingHeaders.Add("grpc-status", "0");
        return response;
    }

    internal sealed record Reply(IMessage? Message, Grpc.Core.StatusCode Code = Grpc.Core.StatusCode.OK, string Detail = "", Google.Rpc.Status? Details = null)
    {
        public static Reply Ok(IMessage message) => new(message);

        public static Reply Fail(Grpc.Core.StatusCode code, string detail, Google.Rpc.Status? details = null) => new(null, code, detail, details);
    }
}
