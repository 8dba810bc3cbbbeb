using Microsoft.AspNetCore.Http;
using Voucher.Domain;
using Voucher.Workflows.Http;

namespace Voucher.Workflows.Marketplace;

public sealed record InstitutionRequest(string? Name, string? Type, string? CityCode, string? Code, string? SharingPlatformId, string? ContactName, string? ContactPhone, string? Introduction);

public sealed record VerificationRequest(bool? Approve, string? Reason);

public sealed record ServiceRequest(string? Title, string? Category, string? Description, string? Specifications, string? Equipment, decimal? PriceFrom, decimal? PriceTo, int? TurnaroundDays, string? Contact, string? Staff);

public sealed record ServiceStatusRequest(string? Status);

public sealed record DemandRequest(string? Category, string? Description, decimal? Budget, string? CityCode, string? Deadline);

public sealed record OfferRequest(string? ServiceId, decimal? Price, int? TurnaroundDays, string? Message);

public sealed record AcceptOfferRequest(string? ContractNumber);

/// <summary>
/// The result of a marketplace operation, shared by the API (as ProblemDetails) and the pages (errors next to the
/// fields): a value, or field errors (400), or a status with a sentence.
/// </summary>
public sealed record Outcome<T>(T? Value, IReadOnlyList<FieldError> Errors, int Status, string? Detail)
    where T : class
{
    public bool Ok => Value is not null && Errors.Count == 0 && Detail is null;

    public static Outcome<T> Done(T value, int status = StatusCodes.Status200OK) => new(value, [], status, null);

    public static Outcome<T> Invalid(IReadOnlyList<FieldError> errors) => new(null, errors, StatusCodes.Status400BadRequest, null);

    public static Outcome<T> Invalid(string field, string message) => Invalid([new FieldError(field, message)]);

    public static Outcome<T> Fail(int status, string detail) => new(null, [], status, detail);

    public static Outcome<T> Forbidden(string detail) => Fail(StatusCodes.Status403Forbidden, detail);

    public static Outcome<T> NotFound(string detail) => Fail(StatusCodes.Status404NotFound, detail);

    public IResult Problem() => Errors.Count > 0 ? Problems.Validation(Errors) : Status switch
    {
        StatusCodes.Status403Forbidden => Problems.Forbidden(Detail ?? ""),
        StatusCodes.Status404NotFound => Problems.NotFound(Detail ?? ""),
        StatusCodes.Status409Conflict => Problems.Conflict(Detail ?? ""),
        _ => Problems.Unprocessable(Detail ?? ""),
    };

    /// <summary>A sentence for a page when the failure is not about one field.</summary>
    public string Message => Errors.Count > 0 ? string.Join("；", Errors.Select(e => e.Message)) : Detail ?? "";
}
