using System.Runtime.Serialization;

namespace Voucher.Workflows.Accounts;

/// <summary>
/// What a claim is for: an enterprise (by its USCC, reviewed by the city bureau of its city) or a service institution (by
/// its USCC or institution code, reviewed by the province centre). Stored by name; a row without one is an enterprise's.
/// </summary>
public enum PartyKind
{
    Enterprise,
    Institution,
}

/// <summary>Where a claim stands with its reviewer (the city bureau, or the province centre for an institution).</summary>
public enum ClaimStatus
{
    Pending,
    Verified,
    Rejected,
}

/// <summary>The two documents of a claim: the business licence (营业执照) and the authorisation letter (授权委托书).</summary>
public enum ClaimDocument
{
    Licence,
    Letter,
}

public static class ClaimDocuments
{
    public static IReadOnlyList<ClaimDocument> All { get; } = [ClaimDocument.Licence, ClaimDocument.Letter];

    /// <summary>The form field and the path segment of a document.</summary>
    public static string Field(ClaimDocument d) => d == ClaimDocument.Licence ? "licence" : "letter";

    public static string Chinese(ClaimDocument d) => d == ClaimDocument.Licence ? "营业执照" : "授权委托书";

    public static bool TryParse(string? field, out ClaimDocument document)
    {
        foreach (var d in All)
        {
            if (Field(d) == field)
            {
                document = d;
                return true;
            }
        }

        document = default;
        return false;
    }
}

/// <summary>
/// A person's claim to act for an enterprise or a service institution (<see cref="Kind"/>): PartitionKey = claim id
/// (<see cref="ClaimIds.Of"/>: one claim per person and party), RowKey = "claim". <see cref="Uscc"/> holds the party's
/// code (an institution's may be its institution code) and <see cref="EnterpriseName"/> its name, for both kinds. The claim's pending membership (<see cref="MembershipId"/>) is verified or rejected
/// with it. The documents are blobs of the evidence container, named by the server (<c>claims/{id}/{document}/{guid}</c>).
/// </summary>
public sealed class ClaimEntity : TableRow
{
    public const string Row = "claim";

    public ClaimEntity()
    {
        RowKey = Row;
    }

    public string ClaimId => PartitionKey;

    /// <summary>Stored by name (<see cref="Kind"/>); empty on rows written before institutions could be claimed.</summary>
    [DataMember(Name = nameof(Kind))]
    public string KindName { get; set; } = nameof(PartyKind.Enterprise);

    [IgnoreDataMember]
    public PartyKind Kind
    {
        get => Enum.TryParse<PartyKind>(KindName, out var k) ? k : PartyKind.Enterprise;
        set => KindName = value.ToString();
    }

    /// <summary>The membership's role and scope the claim asks for (an institution's id is derived from its code).</summary>
    [IgnoreDataMember]
    public Role Role => ClaimParties.RoleOf(Kind);

    [IgnoreDataMember]
    public string Scope => ClaimParties.Scope(Kind, Uscc);

    public string Uscc { get; set; } = "";

    public string EnterpriseName { get; set; } = "";

    public string CityCode { get; set; } = "";

    /// <summary>The claimant: the identity provider's subject, and the name and phone given with the claim.</summary>
    public string Subject { get; set; } = "";

    public string ClaimantName { get; set; } = "";

    public string ClaimantPhone { get; set; } = "";

    public string MembershipId { get; set; } = "";

    /// <summary>Stored by name (<see cref="Status"/>).</summary>
    [DataMember(Name = nameof(Status))]
    public string StatusName { get; set; } = nameof(ClaimStatus.Pending);

    [IgnoreDataMember]
    public ClaimStatus Status
    {
        get => Enum.TryParse<ClaimStatus>(StatusName, out var s) ? s : ClaimStatus.Pending;
        set => StatusName = value.ToString();
    }

    public DateTimeOffset SubmittedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>The deciding officer as people read it (name · unit).</summary>
    public string DecidedBy { get; set; } = "";

    public string Reason { get; set; } = "";

    public string LicenceBlob { get; set; } = "";

    public string LicenceType { get; set; } = "";

    public string LicenceFileName { get; set; } = "";

    public long LicenceSize { get; set; }

    public string LicenceSha256 { get; set; } = "";

    public string LetterBlob { get; set; } = "";

    public string LetterType { get; set; } = "";

    public string LetterFileName { get; set; } = "";

    public long LetterSize { get; set; }

    public string LetterSha256 { get; set; } = "";

    public ClaimFile File(ClaimDocument d) => d == ClaimDocument.Licence
        ? new(d, LicenceBlob, LicenceType, LicenceFileName, LicenceSize, LicenceSha256)
        : new(d, LetterBlob, LetterType, LetterFileName, LetterSize, LetterSha256);

    public void SetFile(ClaimFile f)
    {
        if (f.Document == ClaimDocument.Licence)
        {
            (LicenceBlob, LicenceType, LicenceFileName, LicenceSize, LicenceSha256) = (f.BlobName, f.ContentType, f.FileName, f.Size, f.Sha256);
        }
        else
        {
            (LetterBlob, LetterType, LetterFileName, LetterSize, LetterSha256) = (f.BlobName, f.ContentType, f.FileName, f.Size, f.Sha256);
        }
    }
}

/// <summary>One stored document of a claim.</summary>
public sealed record ClaimFile(ClaimDocument Document, string BlobName, string ContentType, string FileName, long Size, string Sha256)
{
    public bool IsImage => ContentType.StartsWith("image/", StringComparison.Ordinal);
}

/// <summary>
/// A claim's row in its reviewer's work list: PartitionKey = <c>city:{code}</c> (an enterprise's) or <c>province</c> (an
/// institution's), RowKey = claim id; written after the claim
/// record on every change (an upsert: the same change again writes the same row).
/// </summary>
public sealed class ClaimIndexEntity : TableRow
{
    public string KindName { get; set; } = nameof(PartyKind.Enterprise);

    public string Uscc { get; set; } = "";

    public string EnterpriseName { get; set; } = "";

    public string ClaimantName { get; set; } = "";

    public string StatusName { get; set; } = nameof(ClaimStatus.Pending);

    public DateTimeOffset SubmittedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string DecidedBy { get; set; } = "";

    public string Reason { get; set; } = "";

    public static string CityPartition(string cityCode) => "city:" + cityCode.ToLowerInvariant();

    /// <summary>The province centre's list: every institution claim.</summary>
    public const string ProvincePartition = "province";

    public static string PartitionOf(ClaimEntity c) => c.Kind == PartyKind.Institution ? ProvincePartition : CityPartition(c.CityCode);

    public static ClaimIndexEntity From(ClaimEntity c) => new()
    {
        PartitionKey = PartitionOf(c), RowKey = c.ClaimId, KindName = c.KindName, Uscc = c.Uscc, EnterpriseName = c.EnterpriseName, ClaimantName = c.ClaimantName,
        StatusName = c.StatusName, SubmittedAt = c.SubmittedAt, DecidedAt = c.DecidedAt, DecidedBy = c.DecidedBy, Reason = c.Reason,
    };
}

/// <summary>
/// 账号编号 → the person: PartitionKey = the number, RowKey = "person". Written when the person is shown their number, so
/// an administrator can add a person who has signed in (and opened their page) at least once.
/// </summary>
public sealed class AccountNumberEntity : TableRow
{
    public const string Row = "person";

    public string Subject { get; set; } = "";
}

/// <summary>The tables of onboarding and of the membership change feed (created with the application's tables).</summary>
public static class OnboardingTables
{
    public const string Claims = "Claims";
    public const string ClaimIndex = "ClaimIndex";
    public const string AccountNumbers = "AccountNumbers";

    public static IReadOnlyList<string> All { get; } = [Claims, ClaimIndex, AccountNumbers, MembershipChangeFeed.Table];
}
