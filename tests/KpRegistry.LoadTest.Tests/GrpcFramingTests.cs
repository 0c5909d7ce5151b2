using System.Threading.Channels;

namespace KpRegistry.LoadTest.Tests;

/// <summary>gRPC's 5-byte message prefix, written by the connection and read back by a call from DATA payloads.</summary>
public sealed class GrpcFramingTests
{
    private static readonly ResponseHeaders Ok = new() { HttpStatus = 200, GrpcStatus = 0 };

    [Fact]
    public void WritePrefix_Message_IsAZeroFlagAndABigEndianLength()
    {
        var to = new byte[5];

        GrpcFraming.WritePrefix(to, 0x01020304);

        Assert.Equal(Hex.Bytes("00 01020304"), to);
    }

    [Fact]
    public async Task OnData_UnaryAnswerSplitAcrossThreeFrames_CompletesWithTheWholeMessage()
    {
        var call = new RawGrpcCall(null);

        Assert.True(call.OnData(Hex.Bytes("00 00")));          // the prefix cut after two bytes
        Assert.True(call.OnData(Hex.Bytes("00 00 04 0a 0b"))); // the rest of the prefix, half the message
        Assert.True(call.OnData(Hex.Bytes("0c 0d")));
        call.OnHeaders(Ok);
        call.Finish();

        Assert.Equal(new byte[] { 0x0a, 0x0b, 0x0c, 0x0d }, await call.Task);
    }

    [Fact]
    public void OnData_TwoMessagesAndAnEmptyOneInOneFrame_StreamReceivesEach()
    {
        var messages = Channel.CreateUnbounded<byte[]>();
        var call = new RawGrpcCall(messages);

        Assert.True(call.OnData(Hex.Bytes("00 00000001 aa 00 00000000 00 00000002 bb cc")));
        call.OnHeaders(Ok);
        call.Finish();

        var received = new List<byte[]>();
        while (messages.Reader.TryRead(out byte[]? message))
        {
            received.Add(message);
        }
        Assert.Equal(new[] { new byte[] { 0xaa }, [], new byte[] { 0xbb, 0xcc } }, received);
        Assert.True(messages.Reader.Completion.IsCompletedSuccessfully);
        Assert.Null(call.Failure);
    }

    [Fact]
    public async Task OnData_CompressedFlag_FailsTheCallWithInternal()
    {
        var call = new RawGrpcCall(null);

        Assert.False(call.OnData(Hex.Bytes("01 00000001 aa")));
        call.Finish();

        var e = await Assert.ThrowsAsync<RawGrpcException>(() => call.Task);
        Assert.Equal(13, e.StatusCode);
        Assert.Contains("Compressed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finish_InsideAMessage_FailsTheCall()
    {
        var call = new RawGrpcCall(null);

        Assert.True(call.OnData(Hex.Bytes("00 0000000a 01 02 03")));
        call.OnHeaders(Ok);
        call.Finish();

        var e = await Assert.ThrowsAsync<RawGrpcException>(() => call.Task);
        Assert.Equal(13, e.StatusCode);
        Assert.Contains("inside a message", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnData_SecondMessageOnAUnaryCall_FailsTheCall()
    {
        var call = new RawGrpcCall(null);

        Assert.False(call.OnData(Hex.Bytes("00 00000001 aa 00 00000001 bb")));
        call.Finish();

        var e = await Assert.ThrowsAsync<RawGrpcException>(() => call.Task);
        Assert.Contains("more than one message", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finish_NonZeroGrpcStatus_FailsWithThatStatusAndMessage()
    {
        var call = new RawGrpcCall(null);

        call.OnHeaders(new ResponseHeaders { HttpStatus = 200, GrpcStatus = -1 });
        call.OnHeaders(new ResponseHeaders { GrpcStatus = 3, GrpcMessage = "bad envelope" });
        call.Finish();

        var e = await Assert.ThrowsAsync<RawGrpcException>(() => call.Task);
        Assert.Equal(3, e.StatusCode);
        Assert.Equal("bad envelope", e.Message);
    }
}
