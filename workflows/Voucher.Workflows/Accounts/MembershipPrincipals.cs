namespace Voucher.Workflows.Accounts;

/// <summary>A request's signed-in person: who (from the identity provider) and the principal of the active membership (null when none acts).</summary>
public sealed record SignedIn(SignedInIdentity Identity, Membership? Active, VoucherPrincipal? Principal)
{
    const string ItemKey = "voucher.signed-in";

    /// <summary>What <see cref="MembershipPrincipals.ResolveAsync"/> found for this request (null: anonymous, or not resolved).</summary>
    public static SignedIn? Of(HttpContext http) => http.Items.TryGetValue(ItemKey, out var value) ? value as SignedIn : null;

    internal static void Keep(HttpContext http, SignedIn? signedIn) => http.Items[ItemKey] = signedIn;

    internal static bool Resolved(HttpContext http) => http.Items.ContainsKey(ItemKey);
}

/// <summary>
/// Builds the principal of every request from the person's active membership. The identity provider says who; the
/// membership says as what: role, scope, <see cref="VoucherPrincipal.MembershipId"/>, and
/// <see cref="VoucherPrincipal.Verified"/> while a claim waits. The active membership is the one the
/// <see cref="ActiveCookie"/> names among the person's own memberships — so another person's id is never found — else the
/// person's first acting membership (verified first), which the cookie then names. A rejected or revoked membership acts
/// no more: on the host that made the change from the very next request, on every other host within about a second.
/// The person's memberships come from this host's <see cref="MembershipCache"/> (<see cref="MembershipStore.Cache"/>),
/// not from storage on every request: the store evicts it at once when it changes a membership, the change feed tells
/// the other hosts (<see cref="MembershipFeedPoller"/>, every second), and an entry lives at most
/// <see cref="MembershipCache.TimeToLive"/> — the trade-off for a request (a status poll among them) that reads no storage
/// for its principal. The storage reads of the lookup count under <see cref="Origin"/> on <c>/dev/metrics</c>.
/// </summary>
public sealed partial class MembershipPrincipals(IPrincipalSource source, MembershipStore memberships, ILogger<MembershipPrincipals> log)
{
    /// <summary>The cookie naming the active membership (its id; checked against the person's own memberships on every request).</summary>
    public const string ActiveCookie = "voucher_membership";

    /// <summary>The origin of the principal's storage calls on <c>/dev/metrics</c> (before the route's own).</summary>
    public const string Origin = "principal";

    /// <summary>Who granted a membership from an Entra ID token's app role (a deployment from before memberships).</summary>
    public const string TokenGrant = "identity-provider";

    /// <summary>The signed-in person of the request and their active membership; resolved once per request.</summary>
    public async Task<SignedIn?> ResolveAsync(HttpContext http)
    {
        if (SignedIn.Resolved(http))
        {
            return SignedIn.Of(http);
        }

        var identity = source.Read(http.Request);
        SignedIn? result = null;
        if (identity is not null)
        {
            using var origin = StorageMetrics.Attribute(Origin);
            var cookie = http.Request.Cookies[ActiveCookie];
            var active = await ActiveAsync(identity, cookie, http.RequestAborted);
            if (active is not null && active.Id != cookie)
            {
                Remember(http, active.Id);
            }

            result = new SignedIn(identity, active, active is null ? null : PrincipalOf(identity, active));
        }

        SignedIn.Keep(http, result);
        return result;
    }

    /// <summary>The principal acting through <paramref name="membership"/>.</summary>
    public static VoucherPrincipal PrincipalOf(SignedInIdentity identity, Membership membership) =>
        new(identity.Subject, identity.Name, membership.Role, membership.Scope)
        {
            MembershipId = membership.Id,
            Verified = membership.State == MembershipState.Verified,
        };

    /// <summary>Makes <paramref name="membershipId"/> the active membership from the next request on.</summary>
    public static void Remember(HttpContext http, string membershipId) =>
        http.Response.Cookies.Append(ActiveCookie, membershipId, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/", Secure = http.Request.IsHttps,
        });

    public static void Forget(HttpContext http) => http.Response.Cookies.Delete(ActiveCookie);

    async Task<Membership?> ActiveAsync(SignedInIdentity identity, string? cookie, CancellationToken ct)
    {
        var mine = await memberships.Cache.OfPersonAsync(identity.Subject, ct);
        if (MembershipKeys.IsIdShape(cookie) && mine.FirstOrDefault(m => m.Id == cookie) is { Acts: true } chosen)
        {
            return chosen;
        }

        if (identity.ClaimedRoles.Count > 0)
        {
            mine = await GrantClaimedRolesAsync(identity, mine, ct);
        }

        return FirstActing(mine);
    }

    /// <summary>The membership a person acts as when none is chosen: the newest verified one, else the newest pending claim.</summary>
    public static Membership? FirstActing(IEnumerable<Membership> memberships) =>
        memberships.Where(m => m.Acts).OrderByDescending(m => m.State == MembershipState.Verified).ThenByDescending(m => m.ChangedAt).FirstOrDefault();

    /// <summary>
    /// An Entra ID token's app roles (role + <c>voucher_scope</c>) are granted as memberships once: a role the person never
    /// held is granted (administrator when the party has none); a membership revoked since stays revoked.
    /// </summary>
    async Task<IReadOnlyList<Membership>> GrantClaimedRolesAsync(SignedInIdentity identity, IReadOnlyList<Membership> mine, CancellationToken ct)
    {
        if (identity.ClaimedRoles.Any(c => !Holds(mine, identity.Subject, c.Role, c.Scope)))
        {
            // Decided on storage, not on this host's copy: a membership granted and revoked elsewhere within the feed's
            // second must not be granted again.
            mine = await memberships.OfPersonAsync(identity.Subject, ct);
        }

        var granted = false;
        foreach (var (role, scope) in identity.ClaimedRoles)
        {
            if (!PartyScopes.TryNormalize(role, scope, out var normalized, out _) || Holds(mine, identity.Subject, role, scope))
            {
                continue;
            }

            if (!granted)
            {
                await memberships.EnsurePersonAsync(identity.Subject, identity.Name, identity.Phone, ct);
            }

            var party = await memberships.OfPartyAsync(role, normalized, ct);
            var administrator = !party.Any(m => m.State == MembershipState.Verified && m.Administrator);
            await memberships.GrantAsync(identity.Subject, role, normalized, administrator, TokenGrant, ct);
            Log.GrantedFromToken(log, RoleNames.ClaimValue(role), normalized ?? "", administrator);
            granted = true;
        }

        return granted ? await memberships.OfPersonAsync(identity.Subject, ct) : mine;
    }

    /// <summary>True when the person holds (or held: any state) the membership of the role and scope; a scope that does not normalize counts as held (it is never granted).</summary>
    static bool Holds(IReadOnlyList<Membership> mine, string subject, Role role, string? scope) =>
        !PartyScopes.TryNormalize(role, scope, out var normalized, out _) || mine.Any(m => m.Id == MembershipKeys.IdOf(subject, role, normalized));

    static partial class Log
    {
        [LoggerMessage(EventId = Hosting.LogEventIds.Http + 20, Level = LogLevel.Warning, Message = "Granted the membership {Role}:{Scope} (administrator: {Administrator}) from the sign-in token's app role")]
        public static partial void GrantedFromToken(ILogger logger, string role, string scope, bool administrator);
    }
}
