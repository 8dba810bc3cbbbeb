using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>Status of a voucher application; by name in storage, JSON and workflow histories.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApplicationStatus>))]
public enum ApplicationStatus
{
    Submitted,
    Ineligible,
    UnderReview,
    Escalated,
    Approved,
    Rejected,
    Withdrawn,
}
