using System.Buffers;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using Voucher.Workflows.Configuration;

namespace Voucher.Workflows.Evidence;

/// <param name="Evidence">The file recorded, or null when refused.</param>
/// <param name="Error">Why the file was refused.</param>
/// <param name="RedemptionETag">The redemption row's ETag after the file was named on it under the ETag the caller gave (<see cref="Redemptions.RedemptionViewKey.AnnounceFileAsync"/>): the caller's row, with the file named, can be written on without reading it again. Null when the row had changed meanwhile.</param>
public sealed record EvidenceResult(EvidenceEntity? Evidence, string? Error, Azure.ETag? RedemptionETag = null);

/// <summary>A file written by <see cref="EvidenceStore.StoreFileAsync"/>, or the reason it was refused.</summary>
public sealed record StoredFile(string BlobName, long Size, string Sha256, EvidenceFormat? Format, string? Error)
{
    public static StoredFile Failed(string? error) => new("", 0, "", null, error);
}

public sealed record UploadSlot(Uri UploadUrl, string UploadId, DateTimeOffset ExpiresAt, long MaxBytes);

/// <summary>
/// Evidence files in a private blob container, each under a name the server chooses
/// (<c>{redemptionId}/{kind}/{uploadId}</c>). Type and size are judged by content; a SHA-256 of every file is
/// recorded. Direct uploads get a short-lived create-only SAS; the API also accepts the file itself.
/// </summary>
public sealed class EvidenceStore(VoucherStore store, VoucherSettings settings, TimeProvider time, Settlement.Risk.EvidenceHashIndex hashes)
{
    public static readonly TimeSpan SasLifetime = TimeSpan.FromMinutes(10);

    public long MaxBytes => settings.MaxEvidenceBytes;

    static string BlobName(string redemptionId, EvidenceKind kind, string uploadId) =>
        $"{redemptionId}/{EvidenceRules.Slug(kind)}/{uploadId}";

    /// <summary>A write-only (create) SAS for one new blob, valid for a few minutes.</summary>
    public async Task<UploadSlot> CreateUploadSlotAsync(string redemptionId, EvidenceKind kind, CancellationToken ct)
    {
        var uploadId = Guid.NewGuid().ToString("N");
        var blob = store.EvidenceBlobs.GetBlobClient(BlobName(redemptionId, kind, uploadId));
        var expires = time.GetUtcNow() + SasLifetime;
        // Create only: once written (and validated), the blob cannot be replaced through the same link.
        var sas = new BlobSasBuilder(BlobSasPermissions.Create, expires)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = time.GetUtcNow().AddMinutes(-2),
        };
        if (blob.CanGenerateSasUri)
        {
            return new UploadSlot(blob.GenerateSasUri(sas), uploadId, expires, MaxBytes);
        }

        // Identity-based accounts (no shared key): a user delegation SAS signed with a key from Entra ID.
        var key = await store.BlobService.GetUserDelegationKeyAsync(time.GetUtcNow().AddMinutes(-2), expires, ct);
        var query = sas.ToSasQueryParameters(key.Value, store.BlobService.AccountName);
        return new UploadSlot(new UriBuilder(blob.Uri) { Query = query.ToString() }.Uri, uploadId, expires, MaxBytes);
    }

    /// <summary>Validates a blob uploaded through a SAS and records it; an invalid one is deleted.</summary>
    /// <param name="redemptionETag">The ETag of the redemption's row as the caller read it (see <see cref="EvidenceResult.RedemptionETag"/>).</param>
    public async Task<EvidenceResult> CompleteUploadAsync(string redemptionId, EvidenceKind kind, string uploadId, string uploadedBy, CancellationToken ct, string? fileName = null, Azure.ETag? redemptionETag = null)
    {
        if (!Guid.TryParseExact(uploadId, "N", out _))
        {
            return new EvidenceResult(null, "上传编号无效 (Unknown upload id)");
        }

        var blob = store.EvidenceBlobs.GetBlobClient(BlobName(redemptionId, kind, uploadId));
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return new EvidenceResult(null, "未找到上传的文件，请先上传 (No uploaded file found for this upload id)");
        }

        await using var stream = await blob.OpenReadAsync(cancellationToken: ct);
        var (size, sha, format, error) = await InspectAsync(stream, properties.ContentLength, MaxBytes, ct);
        if (error is not null)
        {
            await blob.DeleteIfExistsAsync(cancellationToken: ct);
            return new EvidenceResult(null, error);
        }

        return await RecordAsync(redemptionId, kind, blob.Name, size, sha, format!.Value, fileName ?? "", uploadedBy, ct, redemptionETag: redemptionETag);
    }

    /// <summary>Receives the file through the API, validating while it streams to the blob.</summary>
    /// <param name="redemptionETag">The ETag of the redemption's row as the caller read it (see <see cref="EvidenceResult.RedemptionETag"/>).</param>
    public async Task<EvidenceResult> UploadAsync(string redemptionId, EvidenceKind kind, Stream content, long? declaredLength, string fileName, string uploadedBy, CancellationToken ct, string? paidOn = null, Azure.ETag? redemptionETag = null)
    {
        var stored = await StoreFileAsync(BlobName(redemptionId, kind, Guid.NewGuid().ToString("N")), content, declaredLength, ct);
        return stored.Error is not null
            ? new EvidenceResult(null, stored.Error)
            : await RecordAsync(redemptionId, kind, stored.BlobName, stored.Size, stored.Sha256, stored.Format!.Value, fileName, uploadedBy, ct, paidOn, redemptionETag);
    }

    /// <summary>
    /// Streams a file to <paramref name="blobName"/> in the evidence container, judging type (PDF, PNG, JPEG) and size
    /// by content and hashing it on the way; nothing is kept on error. Shared by redemption and violation evidence.
    /// </summary>
    public async Task<StoredFile> StoreFileAsync(string blobName, Stream content, long? declaredLength, CancellationToken ct)
    {
        if (declaredLength > MaxBytes)
        {
            return StoredFile.Failed(EvidenceRules.Validate(declaredLength.Value, [], MaxBytes));
        }

        var head = new byte[EvidenceRules.SniffLength];
        var read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var headError = EvidenceRules.Validate(Math.Max(read, 1), head.AsSpan(0, read), MaxBytes);
        if (read == 0 || headError is not null)
        {
            return StoredFile.Failed(read == 0 ? EvidenceRules.Validate(0, [], MaxBytes) : headError);
        }

        var blob = store.EvidenceBlobs.GetBlobClient(blobName);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(head, 0, read);
        var limited = new LimitedStream(content, MaxBytes - read, hash);
        var format = EvidenceRules.Detect(head)!.Value;
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = EvidenceRules.ContentType(format) },
        };
        var buffer = ArrayPool<byte>.Shared.Rent(SingleShotBytes);
        try
        {
            // A body of unknown length is staged as blocks and committed (two calls even for a small file); one that
            // ends before SingleShotBytes is read whole first (limit and hash applied on the way) and written with
            // one Put Blob, which the SDK can retry from the buffer.
            head.AsSpan(0, read).CopyTo(buffer);
            var buffered = read + await limited.ReadAtLeastAsync(buffer.AsMemory(read, SingleShotBytes - read), SingleShotBytes - read, throwOnEndOfStream: false, ct);
            if (buffered < SingleShotBytes)
            {
                await blob.UploadAsync(new MemoryStream(buffer, 0, buffered, writable: false), options, ct);
            }
            else
            {
                await blob.UploadAsync(new ConcatStream(buffer.AsMemory(0, buffered), limited), options, ct);
            }
        }
        catch (EvidenceTooLargeException)
        {
            await blob.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            return StoredFile.Failed(EvidenceRules.Validate(MaxBytes + 1, head, MaxBytes));
        }
        finally
        {
            // Cleared: the next renter in the process must not find someone's contract or bank receipt in it.
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }

        var sha = Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
        return new StoredFile(blob.Name, read + limited.BytesRead, sha, format, null);
    }

    /// <summary>
    /// Files smaller than this (most scans and photos) are buffered and written with one call; the others stream in
    /// blocks, so a request holds at most this much memory (one pooled array).
    /// </summary>
    public const int SingleShotBytes = 4 * 1024 * 1024;

    /// <summary>Opens any blob of the evidence container by name (the caller checked who may read it).</summary>
    public Task<Stream> OpenBlobAsync(string blobName, CancellationToken ct) =>
        store.EvidenceBlobs.GetBlobClient(blobName).OpenReadAsync(cancellationToken: ct);

    public async Task<IReadOnlyList<EvidenceEntity>> ListAsync(string redemptionId, CancellationToken ct) =>
        await store.PartitionAsync<EvidenceEntity>(VoucherStore.Evidence, redemptionId, 10, ct);

    public async Task<bool> IsCompleteAsync(string redemptionId, CancellationToken ct)
    {
        var present = (await ListAsync(redemptionId, ct)).Select(e => e.RowKey).ToHashSet();
        return EvidenceRules.Required.All(k => present.Contains(EvidenceRules.Slug(k)));
    }

    public async Task<(EvidenceEntity Evidence, Stream Content)?> OpenAsync(string redemptionId, EvidenceKind kind, CancellationToken ct)
    {
        var evidence = await store.GetAsync<EvidenceEntity>(VoucherStore.Evidence, redemptionId, EvidenceRules.Slug(kind), ct);
        if (evidence is null)
        {
            return null;
        }

        var stream = await store.EvidenceBlobs.GetBlobClient(evidence.BlobName).OpenReadAsync(cancellationToken: ct);
        return (evidence, stream);
    }

    async Task<EvidenceResult> RecordAsync(string redemptionId, EvidenceKind kind, string blobName, long size, string sha, EvidenceFormat format, string fileName, string uploadedBy, CancellationToken ct, string? paidOn = null, Azure.ETag? redemptionETag = null)
    {
        var entity = new EvidenceEntity
        {
            PartitionKey = redemptionId,
            RowKey = EvidenceRules.Slug(kind),
            BlobName = blobName,
            Size = size,
            Sha256 = sha,
            ContentType = EvidenceRules.ContentType(format),
            // What the browser sent as the name, kept (safely) so people find their files by it.
            OriginalFileName = EvidenceFileNames.Safe(fileName),
            UploadedAt = time.GetUtcNow(),
            UploadedBy = uploadedBy,
            PaidOn = paidOn,
        };
        // The redemption's status view lists its files: its row names this one first, so a poll's 304 never hides it.
        var named = await Redemptions.RedemptionViewKey.AnnounceFileAsync(store, redemptionId, entity.RowKey, blobName, redemptionETag, ct);
        await store.UpsertAsync(VoucherStore.Evidence, entity, ct);
        // The hash → redemption index of the shared-evidence risk rule (rows older than the index: the risk check backfills them).
        await hashes.RecordAsync(sha, redemptionId, entity.RowKey, ct);
        return new EvidenceResult(entity, null, named);
    }

    static async Task<(long Size, string Sha, EvidenceFormat? Format, string? Error)> InspectAsync(Stream stream, long declaredSize, long maxBytes, CancellationToken ct)
    {
        var head = new byte[EvidenceRules.SniffLength];
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        var error = EvidenceRules.Validate(declaredSize, head.AsSpan(0, read), maxBytes);
        if (error is not null)
        {
            return (declaredSize, "", null, error);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(head, 0, read);
        var buffer = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(buffer, ct)) > 0)
        {
            hash.AppendData(buffer, 0, n);
        }

        return (declaredSize, Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant(), EvidenceRules.Detect(head), null);
    }

    /// <summary>Reading past the limit aborts the upload; everything read is hashed on the way.</summary>
    sealed class LimitedStream(Stream inner, long limit, IncrementalHash hash) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException("This stream only reads forward.");

        public override long Position { get => BytesRead; set => throw new NotSupportedException("This stream only reads forward."); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += n;
            if (BytesRead > limit)
            {
                throw new EvidenceTooLargeException();
            }

            hash.AppendData(buffer.Span[..n]);
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("This stream only reads forward.");

        public override void SetLength(long value) => throw new NotSupportedException("This stream only reads forward.");

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("This stream only reads forward.");
    }

    /// <summary>The sniffed head followed by the rest of the request body.</summary>
    sealed class ConcatStream(ReadOnlyMemory<byte> head, Stream rest) : Stream
    {
        int headOffset;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException("This stream only reads forward.");

        public override long Position { get => throw new NotSupportedException("This stream only reads forward."); set => throw new NotSupportedException("This stream only reads forward."); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (headOffset < head.Length)
            {
                var n = Math.Min(buffer.Length, head.Length - headOffset);
                head.Slice(headOffset, n).CopyTo(buffer);
                headOffset += n;
                return n;
            }

            return await rest.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("This stream only reads forward.");

        public override void SetLength(long value) => throw new NotSupportedException("This stream only reads forward.");

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("This stream only reads forward.");
    }

    sealed class EvidenceTooLargeException() : IOException("Evidence exceeds the size limit.");
}
