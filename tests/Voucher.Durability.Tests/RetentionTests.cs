using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Voucher.LocalHost.Hosting;
using Voucher.Workflows.Enforcement;
using Voucher.Workflows.Evidence;
using Voucher.Workflows.Marketplace;
using Voucher.Workflows.Retention;

namespace Voucher.Durability.Tests;

/// <summary>
/// The daily retention run over seeded old data on Azurite: finished Durable instances older than the configured age are
/// purged with their history on the Azure Storage provider the local host runs (running ones, younger ones and calendar
/// re-plans stay); the catalogue change log keeps its last week (and always its newest entry); evidence goes 10 years after
/// payment with an audit entry (younger, unpaid and clawed-back redemptions keep theirs); and the local host's timer runs it.
/// </summary>
[Collection(RetentionCollection.Name)]
public sealed class RetentionTests(SharedAzurite shared, ITestOutputHelper output)
{
    AzuriteFixture Azurite => shared.Azurite;

    [Fact]
    public async Task Durable_purge_removes_finished_instances_older_than_the_age_with_their_history_and_nothing_else()
    {
        var hub = AzuriteFixture.UniqueName("purge");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DurableStorage"] = Azurite.ConnectionString,
            ["TaskHubName"] = hub,
            ["Durable:PartitionCount"] = "1",
        }).Build();
        await using var engine = await LocalDurableEngine.StartAsync(configuration, NullLoggerFactory.Instance, new StorageMetrics(), CancellationToken.None);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddDurableTaskWorker(b =>
        {
            b.UseGrpc(engine.Channel);
            b.AddTasks(r =>
            {
                r.AddOrchestratorFunc<string, string>("Quick", (TaskOrchestrationContext _, string input) => Task.FromResult(input));
                r.AddOrchestratorFunc<string, string>("Fails", (TaskOrchestrationContext _, string _) => Task.FromException<string>(new InvalidOperationException("fails on purpose")));
                r.AddOrchestratorFunc<string, string>("Waits", (TaskOrchestrationContext ctx, string _) => ctx.WaitForExternalEvent<string>("go"));
            });
        });
        builder.Services.AddDurableTaskClient(b =>
        {
            b.UseGrpc(engine.Channel);
            b.RegisterDirectly();
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var client = host.Services.GetRequiredService<DurableTaskClient>();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            async Task<string> StartAsync(string name, string id)
            {
                await client.ScheduleNewOrchestrationInstanceAsync(name, "x", new StartOrchestrationOptions(id), cts.Token);
                return id;
            }

            var completed = await StartAsync("Quick", "old-completed");
            var failed = await StartAsync("Fails", "old-failed");
            var terminated = await StartAsync("Waits", "old-terminated");
            var running = await StartAsync("Waits", "old-running");
            var replan = await StartAsync("Quick", "calendar-2099-v3");
            await client.WaitForInstanceCompletionAsync(completed, cts.Token);
            await client.WaitForInstanceCompletionAsync(failed, cts.Token);
            await client.WaitForInstanceCompletionAsync(replan, cts.Token);
            await client.WaitForInstanceStartAsync(running, cts.Token);
            await client.WaitForInstanceStartAsync(terminated, cts.Token);
            await client.TerminateInstanceAsync(terminated, "test", cts.Token);
            Assert.Equal(OrchestrationRuntimeStatus.Terminated, (await client.WaitForInstanceCompletionAsync(terminated, cts.Token)).RuntimeStatus);
            Assert.Equal(OrchestrationRuntimeStatus.Failed, (await client.GetInstanceAsync(failed, cts.Token))!.RuntimeStatus);

            // The age line falls between the old instances and the young one.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var line = DateTimeOffset.UtcNow;
            await Task.Delay(TimeSpan.FromSeconds(2));
            var young = await StartAsync("Quick", "young-completed");
            await client.WaitForInstanceCompletionAsync(young, cts.Token);

            var store = new Store(Azurite.ConnectionString);
            var everyone = new[] { completed, failed, terminated, running, replan, young };
            foreach (var id in everyone)
            {
                Assert.NotEmpty(await store.PartitionAsync<TableEntity>(hub + "History", id));
            }

            var purge = new DurableHistoryPurge(new RetentionSettings { DurableHistoryDays = 90 });
            var purged = await purge.PurgeAsync(client, line.AddDays(90), cts.Token);
            output.WriteLine($"purged {purged} instances");

            Assert.Equal(3, purged);
            foreach (var gone in new[] { completed, failed, terminated })
            {
                Assert.Null(await client.GetInstanceAsync(gone, cts.Token));
                Assert.Empty(await store.PartitionAsync<TableEntity>(hub + "History", gone));
                Assert.Empty(await store.PartitionAsync<TableEntity>(hub + "Instances", gone));
            }

            foreach (var kept in new[] { running, replan, young })
            {
                Assert.NotNull(await client.GetInstanceAsync(kept, cts.Token));
                Assert.NotEmpty(await store.PartitionAsync<TableEntity>(hub + "History", kept));
            }

            // A second run finds nothing more to purge.
            Assert.Equal(0, await purge.PurgeAsync(client, line.AddDays(90), cts.Token));
            await client.TerminateInstanceAsync(running, "done", cts.Token);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Catalogue_change_log_keeps_the_last_week_and_always_its_newest_entry()
    {
        var store = await NewStoreAsync();
        var now = DateTimeOffset.UtcNow;
        var table = store.Table(VoucherStore.CatalogueChanges);
        async Task<string> AddAsync(TimeSpan age)
        {
            var key = CatalogueStore.ChangeKey(now - age);
            await table.AddEntityAsync(new CatalogueChangeEntity { PartitionKey = CatalogueChangeEntity.Partition, RowKey = key, Kind = CatalogueChangeEntity.ServiceKind, InstitutionId = "inst", ServiceId = "svc" });
            return key;
        }

        var old = new[] { await AddAsync(TimeSpan.FromDays(40)), await AddAsync(TimeSpan.FromDays(8)), await AddAsync(TimeSpan.FromDays(7.01)) };
        var kept = new[] { await AddAsync(TimeSpan.FromDays(6.9)), await AddAsync(TimeSpan.FromHours(1)) };
        var trim = new CatalogueChangeTrim(store);

        Assert.Equal(3, await trim.TrimAsync(now, CancellationToken.None));
        Assert.Equal(kept.Order(StringComparer.Ordinal), await KeysAsync(table));
        Assert.Equal(0, await trim.TrimAsync(now, CancellationToken.None));

        // Weeks later with no change meanwhile: everything is old, and the newest entry stays.
        Assert.Equal(1, await trim.TrimAsync(now.AddDays(30), CancellationToken.None));
        Assert.Equal([kept[1]], await KeysAsync(table));
    }

    [Fact]
    public async Task Evidence_is_deleted_ten_years_after_payment_with_an_audit_entry_and_nothing_younger_is_touched()
    {
        var store = await NewStoreAsync();
        var now = DateTimeOffset.UtcNow;
        var uscc = TestUscc.New();
        var voucher = A.Voucher(uscc, "taiyuan").Build();
        async Task<RedemptionEntity> PaidAsync(int n, DateTimeOffset? paidAt, bool withClawBack = false)
        {
            var r = A.Redemption(voucher).Numbered(n).InStatus(paidAt is null ? RedemptionStatus.Queued : RedemptionStatus.Paid)
                .With(e => e.PaidAt = paidAt).Build();
            await store.UpsertAsync(VoucherStore.Redemptions, r);
            foreach (var kind in new[] { "report", "contract", "payment" })
            {
                var blob = $"{r.RedemptionId}/{kind}/{Guid.NewGuid():N}";
                await store.EvidenceBlobs.GetBlobClient(blob).UploadAsync(BinaryData.FromBytes(TestFiles.Pdf(kind)));
                await store.UpsertAsync(VoucherStore.Evidence, new EvidenceEntity
                {
                    PartitionKey = r.RedemptionId, RowKey = kind, BlobName = blob, Size = 100, Sha256 = new string('a', 64), ContentType = "application/pdf",
                    OriginalFileName = kind + ".pdf", UploadedAt = now.AddYears(-12), UploadedBy = "enterprise:" + uscc,
                });
            }

            if (withClawBack)
            {
                await store.UpsertAsync(VoucherStore.ClawBacks, new TableEntity(ClawBackClaimEntity.PartitionFor(r.RedemptionId), ClawBackClaimEntity.Final) { ["ClawBackId"] = "CB-test" });
            }

            return r;
        }

        var expired = await PaidAsync(1, now.AddYears(-10).AddDays(-1));
        var younger = await PaidAsync(2, now.AddYears(-10).AddDays(1));
        var clawedBack = await PaidAsync(3, now.AddYears(-11), withClawBack: true);
        var unpaid = await PaidAsync(4, null);
        var retention = new EvidenceRetention(store, new AuditLog(store), new RetentionSettings { EvidenceYears = 10 });

        Assert.Equal((1, 3), await retention.ApplyAsync(now, CancellationToken.None));

        Assert.Empty(await store.PartitionAsync<EvidenceEntity>(VoucherStore.Evidence, expired.RedemptionId));
        Assert.Empty(await BlobsAsync(store.EvidenceBlobs, expired.RedemptionId));
        var entry = Assert.Single(await new AuditLog(store).ReadAsync(AuditSubjects.Redemption(expired.RedemptionId)));
        Assert.Equal(EvidenceRetention.Actor, entry.Actor);
        Assert.Equal(entry.FromState, entry.ToState);
        Assert.Contains("report report.pdf", entry.Detail);
        Assert.Contains("payment payment.pdf", entry.Detail);
        Assert.Contains("拨付后 10 年", entry.Detail);

        foreach (var kept in new[] { younger, clawedBack, unpaid })
        {
            Assert.Equal(3, (await store.PartitionAsync<EvidenceEntity>(VoucherStore.Evidence, kept.RedemptionId)).Count);
            Assert.Equal(3, (await BlobsAsync(store.EvidenceBlobs, kept.RedemptionId)).Count);
            Assert.Empty(await new AuditLog(store).ReadAsync(AuditSubjects.Redemption(kept.RedemptionId)));
        }

        // Run again (the next day): nothing more is deleted, no second entry.
        Assert.Equal((0, 0), await retention.ApplyAsync(now, CancellationToken.None));
        Assert.Single(await new AuditLog(store).ReadAsync(AuditSubjects.Redemption(expired.RedemptionId)));
    }

    [Fact]
    public async Task The_local_host_runs_retention_on_its_schedule()
    {
        var port = LocalHostProcess.FreeTcpPort();
        var env = HostEnv.For(Azurite.ConnectionString, AzuriteFixture.UniqueName("rettimer"), port);
        env["Voucher__RetentionSchedule"] = "*/2 * * * * *";
        var store = new VoucherStore(Azurite.Tables, Azurite.Blobs);
        await using var host = await Flows.StartHostAsync(env, port);
        var table = store.Table(VoucherStore.CatalogueChanges);
        var now = DateTimeOffset.UtcNow;
        var oldKey = CatalogueStore.ChangeKey(now.AddDays(-30));
        var youngKey = CatalogueStore.ChangeKey(now);
        foreach (var key in new[] { oldKey, youngKey })
        {
            await table.AddEntityAsync(new CatalogueChangeEntity { PartitionKey = CatalogueChangeEntity.Partition, RowKey = key, Kind = CatalogueChangeEntity.ServiceKind, InstitutionId = "inst-timer", ServiceId = "svc" });
        }

        await Eventually.UntilAsync(async () => !(await table.GetEntityIfExistsAsync<TableEntity>(CatalogueChangeEntity.Partition, oldKey)).HasValue,
            TimeSpan.FromSeconds(60), "the local host's retention timer trims the month-old change-log entry");
        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>(CatalogueChangeEntity.Partition, youngKey)).HasValue, "the entry written now stays");
        Assert.False(host.HasExited);
    }

    async Task<VoucherStore> NewStoreAsync()
    {
        var store = new VoucherStore(Azurite.Tables, Azurite.Blobs, Azurite.NewName("ret")[..13]);
        await store.EnsureCreatedAsync();
        return store;
    }

    static async Task<List<string>> KeysAsync(TableClient table)
    {
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            keys.Add(row.RowKey);
        }

        return keys;
    }

    static async Task<List<string>> BlobsAsync(BlobContainerClient container, string redemptionId)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, redemptionId + "/", CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return names;
    }
}
