using System.Net;

namespace Voucher.Workflows.Tests.Redemptions;

/// <summary>
/// Evidence on Azurite: the create-only SAS upload slot and its completion, the multipart upload with the size limit
/// applied while streaming, type judged by content, SHA-256 recorded, invalid files never kept.
/// </summary>
[Collection(RedemptionStorageCollection.Name)]
public sealed class EvidenceStoreTests(AzuriteFixture azurite)
{
    static readonly HttpClient Http = new();

    static int _sequence;

    static string NewRedemptionId() =>
        $"V-{TestUscc.New("taiyuan")}-2026-{Interlocked.Increment(ref _sequence) % 90 + 10:D2}-R1";

    async Task<(EvidenceStore Evidence, VoucherStore Store)> NewAsync(long? maxBytes = null)
    {
        var store = await StoreFactory.NewAsync(azurite);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Voucher:MaxEvidenceBytes"] = maxBytes?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var settings = VoucherSettings.FromConfiguration(configuration);
        return (new EvidenceStore(store, settings, TimeProvider.System, new Voucher.Workflows.Settlement.Risk.EvidenceHashIndex(store)), store);
    }

    static async Task<HttpResponseMessage> PutAsync(Uri url, byte[] bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        return await Http.SendAsync(request);
    }

    /// <summary>The upload is refused with <paramref name="error"/> and leaves no blob (and, for <paramref name="row"/>, no evidence row).</summary>
    static async Task AssertRefusedAndNothingKeptAsync(EvidenceResult result, string error, VoucherStore store, string id, string? row = null)
    {
        Assert.Null(result.Evidence);
        Assert.NotNull(result.Error);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
        if (row is not null)
        {
            Assert.Null(await store.GetAsync<EvidenceEntity>(VoucherStore.Evidence, id, row));
        }

        Assert.Empty(await BlobsUnderAsync(store, id));
    }

    static async Task<List<string>> BlobsUnderAsync(VoucherStore store, string redemptionId)
    {
        var names = new List<string>();
        await foreach (var item in store.EvidenceBlobs.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, redemptionId + "/", CancellationToken.None))
        {
            names.Add(item.Name);
        }

        return names;
    }

    [Fact]
    public async Task Settings_MaxEvidenceBytes_DefaultsTo20MiB_AndIsConfigurable()
    {
        Assert.Equal(EvidenceRules.DefaultMaxBytes, (await NewAsync()).Evidence.MaxBytes);
        Assert.Equal(1024, (await NewAsync(1024)).Evidence.MaxBytes);
    }

    [Fact]
    public async Task SasUpload_Pdf_CompleteRecordsSizeAndSha256OfTheBytes()
    {
        var (evidence, store) = await NewAsync();
        var id = NewRedemptionId();
        var bytes = TestFiles.Pdf(5000);

        var slot = await evidence.CreateUploadSlotAsync(id, EvidenceKind.Report, CancellationToken.None);
        using (var put = await PutAsync(slot.UploadUrl, bytes))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var result = await evidence.CompleteUploadAsync(id, EvidenceKind.Report, slot.UploadId, "enterprise:test", CancellationToken.None);

        Assert.Null(result.Error);
        var e = result.Evidence!;
        Assert.Equal(bytes.Length, e.Size);
        Assert.Equal(TestFiles.Sha256(bytes), e.Sha256);
        Assert.Equal("application/pdf", e.ContentType);
        Assert.Equal($"{id}/report/{slot.UploadId}", e.BlobName);
        Assert.Equal("enterprise:test", e.UploadedBy);
        var row = await store.GetAsync<EvidenceEntity>(VoucherStore.Evidence, id, "report");
        Assert.NotNull(row);
        Assert.Equal(e.Sha256, row.Sha256);
        Assert.Equal(e.Size, row.Size);
        Assert.Equal(EvidenceRules.DefaultMaxBytes, slot.MaxBytes);
        Assert.InRange(slot.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(9), DateTimeOffset.UtcNow.AddMinutes(10.5));
    }

    [Fact]
    public async Task SasUpload_SlotNameIsChosenByTheServerAndTheSasIsWriteOnly()
    {
        var (evidence, _) = await NewAsync();
        var id = NewRedemptionId();

        var slot = await evidence.CreateUploadSlotAsync(id, EvidenceKind.Contract, CancellationToken.None);

        Assert.True(Guid.TryParseExact(slot.UploadId, "N", out _));
        Assert.EndsWith($"/{id}/contract/{slot.UploadId}", slot.UploadUrl.AbsolutePath, StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(slot.UploadUrl.Query);
        Assert.Equal("b", query["sr"]);
        Assert.DoesNotContain('r', query["sp"]!);
        Assert.DoesNotContain('d', query["sp"]!);
        Assert.DoesNotContain('l', query["sp"]!);
    }

    [Fact]
    public async Task SasUpload_ReadingWithTheUploadSas_IsForbidden()
    {
        var (evidence, _) = await NewAsync();
        var id = NewRedemptionId();
        var slot = await evidence.CreateUploadSlotAsync(id, EvidenceKind.Payment, CancellationToken.None);
        using (var put = await PutAsync(slot.UploadUrl, TestFiles.Png()))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        // Azurite enforces SAS permissions: the blob exists, yet a GET with the write-only SAS is refused.
        using var get = await Http.GetAsync(slot.UploadUrl);

        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
    }

    /// <summary>
    /// The slot is meant to be create-only: once the file is validated and its SHA-256 recorded, the same SAS (valid
    /// for 10 minutes) must not be able to replace the blob. Fails today: the SAS carries Write as well as Create
    /// (EvidenceStore.CreateUploadSlotAsync), and Write allows overwriting an existing blob.
    /// </summary>
    [Fact]
    public async Task SasUpload_AfterCompletion_TheSameSasCannotOverwriteTheValidatedBlob()
    {
        var (evidence, store) = await NewAsync();
        var id = NewRedemptionId();
        var bytes = TestFiles.Pdf(800);
        var slot = await evidence.CreateUploadSlotAsync(id, EvidenceKind.Report, CancellationToken.None);
        (await PutAsync(slot.UploadUrl, bytes)).Dispose();
        var recorded = (await evidence.CompleteUploadAsync(id, EvidenceKind.Report, slot.UploadId, "enterprise:test", CancellationToken.None)).Evidence!;

        using var overwrite = await PutAsync(slot.UploadUrl, TestFiles.Text);

        var content = (await store.EvidenceBlobs.GetBlobClient(recorded.BlobName).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(recorded.Sha256, TestFiles.Sha256(content));
        Assert.False(overwrite.IsSuccessStatusCode, $"overwrite answered {(int)overwrite.StatusCode}");
    }

    [Fact]
    public async Task SasUpload_TextFile_CompleteReturnsTheTypeErrorAndDeletesTheBlob()
    {
        var (evidence, store) = await NewAsync();
        var id = NewRedemptionId();
        var slot = await evidence.CreateUploadSlotAsync(id, EvidenceKind.Payment, CancellationToken.None);
        using (var put = await PutAsync(slot.UploadUrl, TestFiles.Text))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.Single(await BlobsUnderAsync(store, id));

        var result = await evidence.CompleteUploadAsync(id, EvidenceKind.Payment, slot.UploadId, "enterprise:test", CancellationToken.None);

        await AssertRefusedAndNothingKeptAsync(result, "Only PDF, PNG or JPEG", store, id);
        Assert.Null(await store.GetAsync<EvidenceEntity>(VoucherStore.Evidence, id, "payment"));
        Assert.False(await evidence.IsCompleteAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task SasUpload_EmptyFile_IsRejectedAndDeleted()
    {
        var (evidence, store) = await NewAsync();
        var id = NewRedemptionId();
        var slot = await evidence.CreateUploadSlotAsync(id, EvidenceKind.Report, CancellationToken.None);
        (await PutAsync(slot.UploadUrl, [])).Dispose();

        var result = await evidence.CompleteUploadAsync(id, EvidenceKind.Report, slot.UploadId, "enterprise:test", CancellationToken.None);

        Assert.Contains("empty", result.Error, StringComparison.Ordinal);
        Assert.Empty(await BlobsUnderAsync(store, id));
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("")]
    [InlineData("../../other/report/0123456789abcdef0123456789abcdef")]
    public async Task CompleteUpload_MalformedUploadId_IsRefused(string uploadId)
    {
        var (evidence, _) = await NewAsync();

        var result = await evidence.CompleteUploadAsync(NewRedemptionId(), EvidenceKind.Report, uploadId, "enterprise:test", CancellationToken.None);

        Assert.Null(result.Evidence);
        Assert.Contains("Unknown upload id", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteUpload_NothingUploaded_SaysSo()
    {
        var (evidence, _) = await NewAsync();
        var id = NewRedemptionId();
        var slot = await evidence.CreateUploadSlotAsync(id, EvidenceKind.Report, CancellationToken.None);

        var result = await evidence.CompleteUploadAsync(id, EvidenceKind.Report, slot.UploadId, "enterprise:test", CancellationToken.None);

        Assert.Null(result.Evidence);
        Assert.Contains("No uploaded file", result.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// A SAS cannot cap the size, so <see cref="EvidenceStore.CompleteUploadAsync"/> must apply the configured limit.
    /// Fails today: CompleteUploadAsync validates with <c>long.MaxValue</c> instead of <c>MaxBytes</c>
    /// (EvidenceStore.InspectAsync), so any size uploaded through the SAS is accepted and recorded.
    /// </summary>
    [Fact]
    public async Task SasUpload_OverTheConfiguredLimit_CompleteReturnsTheSizeErrorAndDeletesTheBlob()
    {
        var (evidence, store) = await NewAsync(1024);
        var id = NewRedemptionId();
        var slot = await evidence.CreateUploadSlotAsync(id, EvidenceKind.Report, CancellationToken.None);
        Assert.Equal(1024, slot.MaxBytes);
        (await PutAsync(slot.UploadUrl, TestFiles.Pdf(4096))).Dispose();

        var result = await evidence.CompleteUploadAsync(id, EvidenceKind.Report, slot.UploadId, "enterprise:test", CancellationToken.None);

        await AssertRefusedAndNothingKeptAsync(result, "exceeds", store, id, "report");
    }

    [Fact]
    public async Task Multipart_ThreeValidFiles_RecordsEachWithItsSha256AndCompletesTheSet()
    {
        var (evidence, store) = await NewAsync();
        var id = NewRedemptionId();
        var files = new (EvidenceKind Kind, byte[] Bytes, string Name, string Type)[]
        {
            (EvidenceKind.Report, TestFiles.Pdf(3000), "成果报告.pdf", "application/pdf"),
            (EvidenceKind.Contract, TestFiles.Jpeg(2000), "contract-scan.jpg", "image/jpeg"),
            (EvidenceKind.Payment, TestFiles.Png(1500), @"C:\Users\sme\Desktop\bank receipt.png", "image/png"),
        };

        for (var i = 0; i < files.Length; i++)
        {
            var (kind, bytes, name, type) = files[i];
            Assert.False(await evidence.IsCompleteAsync(id, CancellationToken.None), $"complete after {i} of 3");
            var result = await evidence.UploadAsync(id, kind, new TestFiles.Unseekable(bytes), null, name, "enterprise:test", CancellationToken.None);
            Assert.Null(result.Error);
            Assert.Equal(bytes.Length, result.Evidence!.Size);
            Assert.Equal(TestFiles.Sha256(bytes), result.Evidence.Sha256);
            Assert.Equal(type, result.Evidence.ContentType);
            Assert.StartsWith($"{id}/{EvidenceRules.Slug(kind)}/", result.Evidence.BlobName, StringComparison.Ordinal);
            var stored = (await store.EvidenceBlobs.GetBlobClient(result.Evidence.BlobName).DownloadContentAsync()).Value;
            Assert.Equal(bytes, stored.Content.ToArray());
            Assert.Equal(type, stored.Details.ContentType);
        }

        Assert.True(await evidence.IsCompleteAsync(id, CancellationToken.None));
        var listed = await evidence.ListAsync(id, CancellationToken.None);
        Assert.Equal(["contract", "payment", "report"], listed.Select(e => e.RowKey).Order(StringComparer.Ordinal));
        Assert.Equal("bank receipt.png", listed.Single(e => e.RowKey == "payment").OriginalFileName);
        var opened = await evidence.OpenAsync(id, EvidenceKind.Report, CancellationToken.None);
        Assert.NotNull(opened);
        await using var content = opened.Value.Content;
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);
        Assert.Equal(files[0].Bytes, copy.ToArray());
    }

    [Fact]
    public async Task Multipart_OverTheConfiguredLimitWhileStreaming_SizeErrorNoRowNoBlob()
    {
        var (evidence, store) = await NewAsync(1024);
        var id = NewRedemptionId();

        // No declared length: the limit must hold while the body streams.
        var result = await evidence.UploadAsync(id, EvidenceKind.Report, new TestFiles.Unseekable(TestFiles.Pdf(4096)), null, "big.pdf", "enterprise:test", CancellationToken.None);

        await AssertRefusedAndNothingKeptAsync(result, "exceeds", store, id, "report");
    }

    [Fact]
    public async Task Multipart_DeclaredLengthOverTheLimit_IsRefusedBeforeReading()
    {
        var (evidence, store) = await NewAsync(1024);
        var id = NewRedemptionId();
        var body = new TestFiles.Unseekable(TestFiles.Pdf(2048));

        var result = await evidence.UploadAsync(id, EvidenceKind.Contract, body, 2048, "big.pdf", "enterprise:test", CancellationToken.None);

        Assert.Contains("exceeds", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, body.Position);
        Assert.Null(await store.GetAsync<EvidenceEntity>(VoucherStore.Evidence, id, "contract"));
    }

    [Fact]
    public async Task Multipart_ExactlyAtTheLimit_IsAccepted()
    {
        var (evidence, _) = await NewAsync(1024);
        var bytes = TestFiles.Pdf(1024);

        var result = await evidence.UploadAsync(NewRedemptionId(), EvidenceKind.Report, new TestFiles.Unseekable(bytes), null, "a.pdf", "enterprise:test", CancellationToken.None);

        Assert.Null(result.Error);
        Assert.Equal(1024, result.Evidence!.Size);
        Assert.Equal(TestFiles.Sha256(bytes), result.Evidence.Sha256);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("zip")]
    [InlineData("empty")]
    public async Task Multipart_NotPdfOrImage_IsRefusedWithoutARowOrBlob(string what)
    {
        var (evidence, store) = await NewAsync();
        var id = NewRedemptionId();
        byte[] bytes = what switch
        {
            "text" => TestFiles.Text,
            "zip" => [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00],
            _ => [],
        };

        var result = await evidence.UploadAsync(id, EvidenceKind.Payment, new MemoryStream(bytes), bytes.Length, "proof.pdf", "enterprise:test", CancellationToken.None);

        await AssertRefusedAndNothingKeptAsync(result, what == "empty" ? "empty" : "judged by content", store, id, "payment");
    }

    [Fact]
    public async Task Multipart_ReplacingAKind_KeepsOneRowWithTheNewHash()
    {
        var (evidence, _) = await NewAsync();
        var id = NewRedemptionId();
        var first = TestFiles.Pdf(700, "v1");
        var second = TestFiles.Pdf(900, "v2");

        await evidence.UploadAsync(id, EvidenceKind.Report, new MemoryStream(first), first.Length, "v1.pdf", "enterprise:test", CancellationToken.None);
        await evidence.UploadAsync(id, EvidenceKind.Report, new MemoryStream(second), second.Length, "v2.pdf", "enterprise:test", CancellationToken.None);

        var row = Assert.Single(await evidence.ListAsync(id, CancellationToken.None));
        Assert.Equal(TestFiles.Sha256(second), row.Sha256);
        Assert.Equal(900, row.Size);
    }

    /// <summary>
    /// A body of unknown length that ends before <see cref="EvidenceStore.SingleShotBytes"/> is written with one Put Blob
    /// (it used to be staged as a block and committed: two calls); a larger one still streams in blocks, whole and hashed.
    /// </summary>
    [Theory]
    [InlineData(3000)]
    [InlineData(EvidenceStore.SingleShotBytes - 1)]
    [InlineData(EvidenceStore.SingleShotBytes)]
    public async Task Multipart_UnknownLength_SmallFileIsOnePutBlob_LargerOneIsStagedInBlocks(int size)
    {
        var metrics = new StorageMetrics();
        var counted = new VoucherStore(azurite.Tables, new Azure.Storage.Blobs.BlobServiceClient(azurite.ConnectionString, metrics.BlobOptions()), azurite.NewName("t")[..13]);
        await counted.EnsureCreatedAsync();
        var evidence = new EvidenceStore(counted, VoucherSettings.FromConfiguration(new ConfigurationBuilder().Build()), TimeProvider.System, new Voucher.Workflows.Settlement.Risk.EvidenceHashIndex(counted));
        var bytes = TestFiles.Pdf(size);
        var before = metrics.Snapshot();

        var result = await evidence.UploadAsync(NewRedemptionId(), EvidenceKind.Report, new TestFiles.Unseekable(bytes), null, "a.pdf", "enterprise:test", CancellationToken.None);

        Assert.Null(result.Error);
        var after = metrics.Snapshot();
        var made = after.Operations
            .Select(o => (Call: o.Key[(o.Key.IndexOf('|') + 1)..], Count: o.Value - before.Operations.GetValueOrDefault(o.Key)))
            .Where(o => o.Count > 0 && o.Call.StartsWith("blob PUT", StringComparison.Ordinal))
            .SelectMany(o => Enumerable.Repeat(o.Call.Replace(counted.EvidenceBlobs.Name, "evidence", StringComparison.Ordinal), (int)o.Count))
            .ToList();
        if (size < EvidenceStore.SingleShotBytes)
        {
            Assert.Equal(["blob PUT evidence/blob"], made);
        }
        else
        {
            Assert.DoesNotContain("blob PUT evidence/blob", made);
            Assert.Contains("blob PUT evidence/blob?comp=block", made);
            Assert.Single(made, c => c == "blob PUT evidence/blob?comp=blocklist");
        }

        Assert.Equal(size, result.Evidence!.Size);
        Assert.Equal(TestFiles.Sha256(bytes), result.Evidence.Sha256);
        var stored = (await counted.EvidenceBlobs.GetBlobClient(result.Evidence.BlobName).DownloadContentAsync()).Value;
        Assert.Equal(bytes, stored.Content.ToArray());
        Assert.Equal("application/pdf", stored.Details.ContentType);
    }

    [Fact]
    public async Task OpenAsync_NothingUploaded_IsNull()
    {
        var (evidence, _) = await NewAsync();

        Assert.Null(await evidence.OpenAsync(NewRedemptionId(), EvidenceKind.Payment, CancellationToken.None));
    }
}
