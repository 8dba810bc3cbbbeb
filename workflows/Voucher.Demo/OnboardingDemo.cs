using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs.Models;
using Voucher.Domain;
using Voucher.Workflows.Accounts;
using Voucher.Workflows.Audit;
using Voucher.Workflows.Security;
using Voucher.Workflows.Storage;

namespace Voucher.Demo;

/// <summary>
/// One enterprise claim waiting for the Taiyuan bureau (<see cref="Uscc"/>, 周敏), with a business-licence image and an
/// authorisation-letter PDF, so the bureau's claims list (<c>/portal/work/claims</c>) is not empty. Idempotent: an existing
/// claim is kept as it is.
/// </summary>
public sealed class OnboardingDemo(VoucherStore store, TimeProvider time)
{
    public static readonly string Uscc = Voucher.Domain.Uscc.Complete("91140100MA0DEMC01");
    public const string Subject = "demo|claimant-taiyuan";
    public const string Name = "周敏";
    public const string EnterpriseName = "太原汾河光电科技有限公司";

    public async Task SeedAsync(CancellationToken ct = default)
    {
        var claimId = ClaimIds.Of(Subject, Uscc);
        if (await store.GetAsync<ClaimEntity>(OnboardingTables.Claims, claimId, ClaimEntity.Row, ct) is not null)
        {
            return;
        }

        var memberships = new MembershipStore(store, new AuditLog(store), time);
        await memberships.EnsurePersonAsync(Subject, Name, null, ct);
        var membership = await memberships.RequestAsync(Subject, Role.Enterprise, Uscc, "person:" + Subject, ct);
        var claim = new ClaimEntity
        {
            PartitionKey = claimId, Uscc = Uscc, EnterpriseName = EnterpriseName, CityCode = "taiyuan", Subject = Subject, ClaimantName = Name,
            MembershipId = membership.Id, Status = ClaimStatus.Pending, SubmittedAt = time.GetUtcNow().AddHours(-3),
        };
        claim.SetFile(await UploadAsync(claimId, ClaimDocument.Licence, LicencePng(), "image/png", "营业执照副本.png", ct));
        claim.SetFile(await UploadAsync(claimId, ClaimDocument.Letter, LetterPdf(), "application/pdf", "授权委托书.pdf", ct));
        await store.UpsertAsync(OnboardingTables.Claims, claim, ct);
        await store.UpsertAsync(OnboardingTables.ClaimIndex, ClaimIndexEntity.From(claim), ct);
    }

    async Task<ClaimFile> UploadAsync(string claimId, ClaimDocument d, byte[] bytes, string contentType, string fileName, CancellationToken ct)
    {
        var blob = store.EvidenceBlobs.GetBlobClient($"claims/{claimId}/{ClaimDocuments.Field(d)}/demo");
        await blob.UploadAsync(new BinaryData(bytes), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, ct);
        return new ClaimFile(d, blob.Name, contentType, fileName, bytes.Length, Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant());
    }

    /// <summary>A licence-like picture: a cream sheet with a dark-red frame, text lines and a red seal.</summary>
    public static byte[] LicencePng(int width = 480, int height = 320)
    {
        var raw = new byte[height * (1 + (width * 3))];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + (width * 3));
            raw[row] = 0;
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = ((byte)250, (byte)245, (byte)230);
                var frame = x < 10 || y < 10 || x >= width - 10 || y >= height - 10;
                var line = y > 60 && y < height - 60 && (y - 60) % 32 < 6 && x > 40 && x < width * 0.6;
                var dx = x - (width * 0.78);
                var dy = y - (height * 0.62);
                var seal = Math.Abs(Math.Sqrt((dx * dx) + (dy * dy)) - 48) < 5;
                if (frame)
                {
                    (r, g, b) = (150, 30, 30);
                }
                else if (seal)
                {
                    (r, g, b) = (210, 40, 40);
                }
                else if (line)
                {
                    (r, g, b) = (90, 90, 90);
                }

                var i = row + 1 + (x * 3);
                (raw[i], raw[i + 1], raw[i + 2]) = (r, g, b);
            }
        }

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BitConverter.TryWriteBytes(header.AsSpan(0, 4), System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(width));
        BitConverter.TryWriteBytes(header.AsSpan(4, 4), System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(height));
        (header[8], header[9]) = (8, 2);
        Chunk(png, "IHDR", header);
        using (var data = new MemoryStream())
        {
            using (var z = new ZLibStream(data, CompressionLevel.Fastest, leaveOpen: true))
            {
                z.Write(raw);
            }

            Chunk(png, "IDAT", data.ToArray());
        }

        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A one-page PDF of an authorisation letter (Latin text: no embedded CJK font needed).</summary>
    public static byte[] LetterPdf()
    {
        const string content = "BT /F1 18 Tf 72 720 Td (Letter of Authorisation - demo) Tj 0 -36 Td /F1 12 Tf (Taiyuan Fenhe Optoelectronics Co., Ltd. authorises Zhou Min) Tj 0 -18 Td (to act for it in the innovation voucher scheme.) Tj ET";
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        var text = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(text.Length);
            text.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = text.Length;
        text.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets)
        {
            text.Append(CultureInfo.InvariantCulture, $"{o:D10} 00000 n \n");
        }

        text.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = new byte[4 + data.Length];
        Encoding.ASCII.GetBytes(type).CopyTo(typed, 0);
        data.CopyTo(typed, 4);
        png.Write(typed);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
