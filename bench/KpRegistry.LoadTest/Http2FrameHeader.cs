namespace KpRegistry.LoadTest;

/// <summary>One frame header as read (RFC 9113 section 4.1).</summary>
internal readonly record struct Http2FrameHeader(int Length, int Type, byte Flags, int StreamId);
