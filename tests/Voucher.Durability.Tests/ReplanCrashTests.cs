using System.Globalization;
using Voucher.Workflows.Policies;

namespace Voucher.Durability.Tests;

/// <summary>
/// Crash point (r): the host dies while a calendar correction re-plans the open reviews. Applications under review in
/// one city, a holiday added on the first weekday they count; some decisions are posted while the re-plan runs, then a
/// hard kill. After the restart every open review ends with the deadline counted on the corrected calendar, one audit
/// entry for it, and every decision landed exactly once.
/// </summary>
[Collection(ReplanCrashCollection.Name)]
public sealed class ReplanCrashTests(SharedAzurite shared, ITestOutputHelper output)
{
    const string City = "linfen";
    const int Applications = 60;
    const int Decided = 6;
    static readonly TimeSpan ResumeTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task HostKilledDuringARePlan_EveryDeadlineCountedOnce_DecisionsLandOnce()
    {
        var (azurite, store, taskHub, port, env) = HostRun.On(shared.Azurite, "crashcal");
        var ids = new List<string>();
        int replannedAtKill;
        CalendarYear corrected;

        await using (var first = await Flows.StartHostAsync(env, port))
        {
            for (var i = 0; i < Applications; i++)
            {
                var uscc = TestUscc.New();
                using var enterprise = await Api.SignInAsync(first.BaseAddress, "enterprise", uscc);
                await Flows.RegisterAsync(enterprise, uscc, City);
                var submitted = await enterprise.PostAsync("api/applications", new { uscc });
                Assert.True(submitted.Status == HttpStatusCode.Accepted, $"application: {submitted}");
                ids.Add(submitted.Json().GetProperty("applicationId").GetString()!);
            }

            using var bureau = await Api.SignInAsync(first.BaseAddress, "city-bureau", City);
            foreach (var id in ids)
            {
                await bureau.WaitForStatusAsync($"api/applications/{id}", "UnderReview", Flows.Step);
            }

            // The province corrects the year of the first weekday every review counts: one more holiday.
            var holiday = FirstWeekdayAfter(Seed.ChinaToday);
            using var province = await Api.SignInAsync(first.BaseAddress, "province", "", "省中心 测试");
            var current = await province.JsonAsync($"api/calendar/{holiday.Year}");
            var holidays = current.GetProperty("holidays").EnumerateArray().Select(h => h.GetString()!).Append(Iso(holiday)).Distinct().ToList();
            var workdays = current.GetProperty("workdays").EnumerateArray().Select(h => h.GetString()!).ToList();
            var put = await province.PutAsync($"api/calendar/{holiday.Year}", new { holidays, workdays, source = "测试更正通知", reason = "增加一个放假日（持久性测试）" });
            Assert.True(put.Status == HttpStatusCode.Created, $"publication: {put}");
            var published = put.Json();
            corrected = new CalendarYear
            {
                Year = holiday.Year,
                Holidays = holidays.Select(DateOnly.Parse).ToList(),
                Workdays = workdays.Select(DateOnly.Parse).ToList(),
                Source = "测试更正通知",
                Version = published.GetProperty("version").GetInt32(),
            };

            // The re-plan starts once the calendar caches have expired; decide a few while it runs, then kill the host.
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < CalendarReplanOrchestrator.SettleDelay + TimeSpan.FromMinutes(2) && await ReplannedAsync(store, ids) == 0)
            {
                await Task.Delay(50);
            }

            // All at once, and the kill right after their answers: a quiet machine re-plans all 60 in a few seconds, so
            // anything slower (decisions one by one, another count of the rows) let the re-plan finish before the kill.
            foreach (var decided in await Task.WhenAll(ids.Take(Decided).Select(id => bureau.PostAsync($"api/applications/{id}/decision", new { round = 1, approve = true }))))
            {
                Assert.True(decided.Status == HttpStatusCode.Accepted, $"decision: {decided}");
            }

            await first.KillAsync();
        }

        // Nothing writes after the kill: the rows counted now are those re-planned when the host died.
        replannedAtKill = await ReplannedAsync(store, ids);
        output.WriteLine($"killed with {replannedAtKill} of {Applications} re-planned");

        Assert.True(replannedAtKill is > 0 and < Applications, $"the kill should land during the re-plan, but {replannedAtKill} of {Applications} were re-planned");
        var sinceKill = Stopwatch.StartNew();
        await using var second = await Flows.StartHostAsync(env, port);
        using var reader = await Api.SignInAsync(second.BaseAddress, "city-bureau", City);
        var calendar = WorkingCalendar.Embedded.With(corrected);
        foreach (var id in ids.Skip(Decided))
        {
            var view = await reader.JsonAsync($"api/applications/{id}");
            var notifiedOn = ChinaTime.DateOf(view.GetProperty("notifiedAt").GetDateTimeOffset());
            var expected = Iso(calendar.AddWorkingDays(notifiedOn, 10));
            try
            {
                await reader.WaitAsync($"api/applications/{id}", v => v.GetProperty("deadline").GetProperty("date").GetString() == expected, ResumeTimeout, $"{id}: deadline {expected}");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"{e.Message}{Environment.NewLine}{await store.DescribeAsync(taskHub, new CalendarReplanInput(corrected.Year, corrected.Version).InstanceId)}{Flows.Tail(second.Output)}", e);
            }

            // The step writes the row, then its audit entry. A step the kill cut between the two runs again when its
            // activity message comes back (the work-item visibility timeout, 120 s locally), so the entry may follow the
            // deadline by that long; the same wake-up writes the same entry once.
            static bool Recount(AuditEntry a) => a.FromState == a.ToState && a.Detail.Contains("重新计算审核期限", StringComparison.Ordinal);
            var audit = await Eventually.UntilAsync(() => store.AuditAsync(AuditSubjects.Application(id)), entries => entries.Any(Recount), ResumeTimeout, $"{id}: the recount's audit entry");
            Assert.Single(audit, Recount);
        }

        foreach (var id in ids.Take(Decided))
        {
            await reader.WaitForStatusAsync($"api/applications/{id}", "Approved", ResumeTimeout);
            Assert.Single(await store.AuditAsync(AuditSubjects.Application(id)), a => a.ToState == "Approved");
            var uscc = id[..18];
            Assert.Single(await store.PartitionAsync<Azure.Data.Tables.TableEntity>(Voucher.Workflows.Storage.VoucherStore.Vouchers, uscc));
        }

        Tally.CrashPointSurvived(output, "calendar re-plan", sinceKill.Elapsed);
    }

    /// <summary>The rows already re-planned, read all at once so the count is a snapshot, not a 60-read walk.</summary>
    static async Task<int> ReplannedAsync(Store store, IEnumerable<string> ids)
    {
        var rows = await Task.WhenAll(ids.Select(id => store.GetAsync<Azure.Data.Tables.TableEntity>(Voucher.Workflows.Storage.VoucherStore.Applications, id[..18], id)));
        return rows.Count(row => row?.GetDateTimeOffset("DeadlineReplannedAt") is not null);
    }

    static DateOnly FirstWeekdayAfter(DateOnly day)
    {
        var next = day.AddDays(1);
        while (next.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            next = next.AddDays(1);
        }

        return next;
    }

    static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
