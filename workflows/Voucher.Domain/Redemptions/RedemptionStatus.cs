using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>Where a redemption (兑付申请) stands, from the request to the payment; by name in storage, JSON and workflow histories.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RedemptionStatus>))]
public enum RedemptionStatus
{
    /// <summary>Requested; the institution has a link to confirm (system binding).</summary>
    AwaitingBinding,

    /// <summary>The institution let its 5 working days pass; the bureau can extend or the SME withdraw.</summary>
    BindingOverdue,

    /// <summary>The institution disputed the request; the bureau can re-open binding or the SME withdraw.</summary>
    Disputed,

    /// <summary>Bound (or seal binding), waiting for the complete evidence set.</summary>
    AwaitingEvidence,

    /// <summary>Bound, evidence complete, pay-out computed and reserved: waiting for the city's next settlement batch.</summary>
    Queued,

    /// <summary>Frozen into a settlement batch; the bureau reviews it.</summary>
    InBatch,

    Approved,

    /// <summary>On the public list (公示) for the objection period.</summary>
    Published,

    /// <summary>An objection holds it until the bureau resolves it.</summary>
    Objected,

    /// <summary>Publicity ended without a standing objection: the finance bureau pays.</summary>
    Payable,

    Paid,
    Rejected,
    Withdrawn,

    /// <summary>Stopped because a violation was recorded against the enterprise while it was open (terminal).</summary>
    Stopped,
}
