using Voucher.Workflows.Applications;

namespace Voucher.Durability.Tests;

/// <summary>Duplicates and order on the application flow: the same submission, racing and concurrent review decisions.</summary>
[Collection(DuplicatesCollection.Name)]
public sealed class DuplicateApplicationTests(SharedAzurite shared, ITestOutputHelper output)
{
    const string City = "jincheng";

    [Fact]
    public async Task SameSubmissionFiveTimes_DecisionRacingTheStart_TenConcurrentDecisions_EachEffectOnce()
    {
        var (azurite, store, taskHub, port, env) = HostRun.On(shared.Azurite, "dupapp");
        await using var host = await Flows.StartHostAsync(env, port);
        using var bureau = await Api.SignInAsync(host.BaseAddress, "city-bureau", City);

        // 1. The same submission posted five times at once: one application, one orchestration, one 202.
        var uscc1 = TestUscc.New();
        using var e1 = await Api.SignInAsync(host.BaseAddress, "enterprise", uscc1);
        await Flows.RegisterAsync(e1, uscc1, City);
        var submissions = await Flows.ConcurrentlyAsync(5, _ => e1.PostAsync("api/applications", new { uscc = uscc1 }));
        output.WriteLine("5 × POST /api/applications: " + string.Join(" | ", submissions.Select(s => s.Code)));
        Tally.Duplicates(output, "application submission (concurrent)", 4);
        Assert.All(submissions, s => Assert.True(s.Status is HttpStatusCode.Accepted or HttpStatusCode.OK, $"submission: {s}"));
        Assert.Single(submissions, s => s.Status == HttpStatusCode.Accepted);
        var ids = submissions.Select(s => s.Json().GetProperty("applicationId").GetString()!).Distinct().ToList();
        var applicationId = Assert.Single(ids);
        Assert.Single(await store.PartitionAsync<ApplicationEntity>(VoucherStore.Applications, uscc1));

        // 2. The decision posted while the orchestration is still starting: accepted, or a clear 409 (not awaiting yet).
        var early = await bureau.PostAsync($"api/applications/{applicationId}/decision", new { round = 1, approve = true });
        output.WriteLine($"decision racing the start: {early}");
        Tally.Duplicates(output, "review decision before the wait began", 1);
        Assert.True(early.Status == HttpStatusCode.Accepted || (early.Status == HttpStatusCode.Conflict && early.IsProblem), $"early decision: {early}");
        if (early.Status == HttpStatusCode.Conflict)
        {
            await bureau.WaitForStatusAsync($"api/applications/{applicationId}", "UnderReview", Flows.Step);
            var decided = await bureau.PostAsync($"api/applications/{applicationId}/decision", new { round = 1, approve = true });
            Assert.True(decided.Status == HttpStatusCode.Accepted, $"decision: {decided}");
        }

        var approved = await bureau.WaitForStatusAsync($"api/applications/{applicationId}", "Approved", Flows.Step);
        var late = await bureau.PostAsync($"api/applications/{applicationId}/decision", new { round = 1, approve = false, reason = "再次提交 (again)" });
        Assert.True(late.Status == HttpStatusCode.Conflict && late.IsProblem && late.Body.Contains("already", StringComparison.OrdinalIgnoreCase), $"decision after the outcome: {late}");
        Tally.Duplicates(output, "review decision after the outcome", 1);
        var vouchers1 = await store.PartitionAsync<VoucherEntity>(VoucherStore.Vouchers, uscc1);
        Assert.Equal(approved.GetProperty("voucherId").GetString(), Assert.Single(vouchers1).RowKey);
        var audit1 = await store.AuditAsync("application:" + applicationId);
        Assert.Single(audit1, a => a.ToState == "Submitted");
        Assert.Single(audit1, a => a.ToState == "UnderReview");
        Assert.Single(audit1, a => a.ToState == "Approved");
        Assert.Single(await store.InstancesAsync(taskHub, ApplicationStore.InstanceId(applicationId)));

        // 3. Ten concurrent decisions (half approve, half reject) on one application: one 202, nine 409, one outcome.
        var uscc2 = TestUscc.New();
        using var e2 = await Api.SignInAsync(host.BaseAddress, "enterprise", uscc2);
        await Flows.RegisterAsync(e2, uscc2, City);
        var submitted2 = await e2.PostAsync("api/applications", new { uscc = uscc2 });
        Assert.True(submitted2.Status == HttpStatusCode.Accepted, $"submission: {submitted2}");
        var applicationId2 = submitted2.Json().GetProperty("applicationId").GetString()!;
        await bureau.WaitForStatusAsync($"api/applications/{applicationId2}", "UnderReview", Flows.Step);
        var wrongRound = await bureau.PostAsync($"api/applications/{applicationId2}/decision", new { round = 2, approve = true });
        Assert.True(wrongRound.Status == HttpStatusCode.Conflict && wrongRound.IsProblem, $"decision for a round not open: {wrongRound}");
        Tally.Duplicates(output, "review decision for a round that is not open", 1);

        var decisions = await Flows.ConcurrentlyAsync(10, i => bureau.PostAsync($"api/applications/{applicationId2}/decision",
            i % 2 == 0 ? new { round = 1, approve = true, reason = (string?)null } : new { round = 1, approve = false, reason = (string?)"材料不全 (incomplete)" }));
        output.WriteLine("10 × decision: " + string.Join(" | ", decisions.Select(d => d.Code)));
        Tally.Duplicates(output, "review decision (concurrent)", 9);
        var accepted = Assert.Single(decisions, d => d.Status == HttpStatusCode.Accepted);
        Assert.All(decisions.Where(d => d != accepted), d => Assert.True(d.Status == HttpStatusCode.Conflict && d.IsProblem, $"concurrent decision: {d}"));
        var acceptedIndex = Array.IndexOf(decisions, accepted);
        var expected = acceptedIndex % 2 == 0 ? "Approved" : "Rejected";
        await bureau.WaitForStatusAsync($"api/applications/{applicationId2}", expected, Flows.Step);
        await Task.Delay(TimeSpan.FromSeconds(3)); // let any (wrong) second effect show
        var vouchers2 = await store.PartitionAsync<VoucherEntity>(VoucherStore.Vouchers, uscc2);
        Assert.Equal(expected == "Approved" ? 1 : 0, vouchers2.Count);
        var audit2 = await store.AuditAsync("application:" + applicationId2);
        Assert.Single(audit2, a => a.ToState is "Approved" or "Rejected");
        Assert.Equal(expected, (await store.GetAsync<ApplicationEntity>(VoucherStore.Applications, uscc2, applicationId2))!.Status.ToString());
    }
}
