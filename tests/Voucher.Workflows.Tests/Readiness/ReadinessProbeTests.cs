using Voucher.Workflows.Readiness;

namespace Voucher.Workflows.Tests.Readiness;

/// <summary>
/// The readiness probe's rule: every check runs at once; a check that fails, throws or never answers (past the time
/// limit, even if it ignores its token) makes the host unavailable and is named; warnings and information do not.
/// </summary>
public sealed class ReadinessProbeTests
{
    sealed class Check(string name, Func<CancellationToken, Task<ReadinessResult>> run) : IReadinessCheck
    {
        public string Name => name;

        public Task<ReadinessResult> CheckAsync(CancellationToken ct) => run(ct);
    }

    static ReadinessProbe Probe(params IReadinessCheck[] checks) => new(checks, NullLogger<ReadinessProbe>.Instance);

    [Fact]
    public async Task Ok_info_and_warnings_are_ready_and_the_warnings_are_listed()
    {
        var report = await Probe(
            new Check("tables", _ => Task.FromResult(ReadinessResult.Ok("41 tables"))),
            new Check("signIn", _ => Task.FromResult(ReadinessResult.Info("development sign-in"))),
            new Check("calendar", _ => Task.FromResult(ReadinessResult.Warning("2027 missing\n2028 missing")))).RunAsync(CancellationToken.None);

        Assert.True(report.Ready);
        Assert.Equal("ready", report.Status);
        Assert.Empty(report.Failing);
        Assert.Equal(["2027 missing", "2028 missing"], report.Warnings);
        Assert.Equal(["calendar", "signIn", "tables"], report.Checks.Keys);
        Assert.Equal("warning", report.Checks["calendar"].Status);
    }

    [Fact]
    public async Task A_failed_a_throwing_and_a_silent_check_are_named_and_the_probe_answers_within_its_limit()
    {
        var watch = Stopwatch.StartNew();
        var report = await Probe(
            new Check("tables", _ => Task.FromResult(ReadinessResult.Ok("41 tables"))),
            new Check("blobs", _ => throw new Azure.RequestFailedException(503, "down", "ServerBusy", null)),
            new Check("queues", _ => Task.FromResult(ReadinessResult.Failed("work-item queue missing"))),
            // Ignores its token: only the probe's own limit stops the wait.
            new Check("taskHub", _ => new TaskCompletionSource<ReadinessResult>().Task)).RunAsync(CancellationToken.None);

        Assert.True(watch.Elapsed < ReadinessProbe.Timeout + TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        Assert.False(report.Ready);
        Assert.Equal("unavailable", report.Status);
        Assert.Equal(["blobs", "queues", "taskHub"], report.Failing);
        Assert.Equal("failed: 503 ServerBusy", report.Checks["blobs"].Detail);
        Assert.Equal($"no answer within {ReadinessProbe.Timeout.TotalSeconds:0} s", report.Checks["taskHub"].Detail);
        Assert.Equal("ok", report.Checks["tables"].Status);
    }
}
