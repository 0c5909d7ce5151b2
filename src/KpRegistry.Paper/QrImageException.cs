namespace KpRegistry.Paper;

/// <summary>Why no QR text could be read from an image: the message is for the person who gave the image.</summary>
public sealed class QrImageException(string message) : Exception(message);
