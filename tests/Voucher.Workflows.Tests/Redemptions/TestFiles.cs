using System.Security.Cryptography;

namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>Small files with real PDF, PNG and JPEG signatures, and their SHA-256 as the store records it.</summary>
public static class TestFiles
{
    public static byte[] Pdf(int size = 600, string marker = "report")
    {
        var head = Encoding.ASCII.GetBytes($"%PDF-1.7\n% {marker}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n");
        var bytes = new byte[Math.Max(size, head.Length)];
        head.CopyTo(bytes, 0);
        for (var i = head.Length; i < bytes.Length; i++)
        {
            bytes[i] = (byte)('a' + (i % 26));
        }

        return bytes;
    }

    public static byte[] Png(int size = 300)
    {
        var bytes = new byte[size];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52 }.CopyTo(bytes, 0);
        Random.Shared.NextBytes(bytes.AsSpan(16));
        return bytes;
    }

    public static byte[] Jpeg(int size = 300)
    {
        var bytes = new byte[size];
        new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46 }.CopyTo(bytes, 0);
        Random.Shared.NextBytes(bytes.AsSpan(10));
        return bytes;
    }

    public static byte[] Text => Encoding.UTF8.GetBytes("付款凭证（其实是文本文件）payment proof, really a text file named proof.pdf\n");

    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>A stream that cannot seek and does not know its length, like a request body.</summary>
    public sealed class Unseekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException("This stream only reads forward.");

        public override long Position { get => base.Position; set => throw new NotSupportedException("This stream only reads forward."); }

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException("This stream only reads forward.");
    }
}
