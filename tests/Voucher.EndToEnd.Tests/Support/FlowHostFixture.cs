using Voucher.Testing;

namespace Voucher.EndToEnd.Tests.Support;

/// <summary>The shared <see cref="LocalSite"/> of the flow collection, with the end-to-end <see cref="HostSettings.Site"/>.</summary>
public sealed class FlowHostFixture() : LocalSite(HostSettings.Site);
