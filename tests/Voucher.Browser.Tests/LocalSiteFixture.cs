namespace Voucher.Browser.Tests;

/// <summary>
/// The shared <see cref="LocalSite"/> for the portal browser tests with the default settings: a fresh link-signing
/// key, a 2-second outbox sweep and no public rate limit to speak of (every browser signs in from 127.0.0.1).
/// </summary>
public sealed class LocalSiteFixture() : LocalSite(new LocalSiteSettings { TaskHubPrefix = "browser" });
