namespace Voucher.Workflows.Readiness;

/// <summary>
/// One thing the host needs before it can serve: storage that answers, the task hub, the calendar, the sign-in. The
/// readiness route (<c>GET /healthz/ready</c>) runs every registered check at once, each under a short time limit; add
/// one by registering another implementation (<c>services.AddSingleton&lt;IReadinessCheck, MyCheck&gt;()</c>).
/// </summary>
public interface IReadinessCheck
{
    /// <summary>The check's name in the answer (<c>checks.{name}</c>, <c>failing</c>): short, camelCase.</summary>
    string Name { get; }

    /// <summary>Answers the check's state; an exception or no answer within the time limit counts as failed.</summary>
    Task<ReadinessResult> CheckAsync(CancellationToken ct);
}

/// <summary>
/// <see cref="Ok"/> and <see cref="Info"/> are fine; <see cref="Warning"/> is something an operator must act on that does
/// not stop the host serving (it is listed under <c>warnings</c>); only <see cref="Failed"/> makes the host not ready (503).
/// </summary>
public enum ReadinessState
{
    Ok,
    Info,
    Warning,
    Failed,
}

/// <summary>A check's answer: its state and one line saying what was found.</summary>
public sealed record ReadinessResult(ReadinessState State, string Detail)
{
    public static ReadinessResult Ok(string detail) => new(ReadinessState.Ok, detail);

    public static ReadinessResult Info(string detail) => new(ReadinessState.Info, detail);

    public static ReadinessResult Warning(string detail) => new(ReadinessState.Warning, detail);

    public static ReadinessResult Failed(string detail) => new(ReadinessState.Failed, detail);
}
