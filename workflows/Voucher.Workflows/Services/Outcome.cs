namespace Voucher.Workflows.Services;

/// <summary>
/// Why a business act did not happen. Application services return it; the adapters translate it — the HTTP API to
/// ProblemDetails (<c>Problems.For</c>), a page to a message next to the field or at the top of the form.
/// </summary>
public abstract record Failure(string Message)
{
    /// <summary>Input that breaks a field's rule (400, naming each field).</summary>
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : Failure(string.Join("；", Errors.Select(e => e.Message)))
    {
        public Invalid(string field, string message)
            : this([new FieldError(field, message)])
        {
        }
    }

    /// <summary>
    /// The thing named does not exist — or exists but the caller may not see it (404). Both answer with the same message,
    /// made by the one not-found helper of the thing's kind (e.g. <c>RedemptionService.NotFound(id)</c>), so a caller cannot
    /// learn which ids exist (no existence oracle). See <see cref="Deny"/>.
    /// </summary>
    public sealed record NotFound(string Message) : Failure(Message);

    /// <summary>
    /// The caller may not do this (403): only where the refusal says nothing about whether an id exists — a role or party
    /// check made before any lookup, or an act on a thing the caller may see. Never for an existing thing the caller may
    /// not see: that is <see cref="NotFound"/>, through <see cref="Deny"/>.
    /// </summary>
    public sealed record Forbidden(string Message) : Failure(Message);

    /// <summary>
    /// The one rule for refusing an act on an existing thing: 403 with <paramref name="reason"/> when the caller may see the
    /// thing, else exactly the answer for a thing that does not exist (<paramref name="asIfMissing"/>).
    /// </summary>
    public static Failure Deny(bool callerMaySeeIt, NotFound asIfMissing, string reason) =>
        callerMaySeeIt ? new Forbidden(reason) : asIfMissing;

    /// <summary>The thing is not in a state that allows the act, usually because someone acted first (409).</summary>
    public sealed record Conflict(string Message) : Failure(Message);

    /// <summary>A business rule refuses the act (422); <paramref name="Details"/> are machine-readable facts for the API.</summary>
    public sealed record Refused(string Message, IReadOnlyDictionary<string, object?>? Details = null) : Failure(Message);
}

/// <summary>The result of a business act: its value, or the <see cref="Services.Failure"/> that stopped it.</summary>
public sealed class Outcome<T>
{
    readonly T? value;

    Outcome(T? value, Failure? failure)
    {
        this.value = value;
        Failure = failure;
    }

    public Failure? Failure { get; }

    public bool Succeeded => Failure is null;

    /// <summary>The value of a successful act; reading it after a failure is a programming error.</summary>
    public T Value => Failure is null ? value! : throw new InvalidOperationException($"The act failed: {Failure.Message}");

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Failure failure) => new(default, failure ?? throw new ArgumentNullException(nameof(failure)));
}
