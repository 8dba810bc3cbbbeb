using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Voucher.Infra.Tests.Support;
using Voucher.Workflows.Configuration;

namespace Voucher.Infra.Tests;

/// <summary>
/// infra/main.bicep as each parameter combination CI builds deploys it (infra/tests/*.bicepparam: default, vnet,
/// premium), every condition evaluated: what Flex Consumption rejects, the region list, always-ready, private
/// networking, zone redundancy, purge protection, sign-in, diagnostics and alerts.
/// </summary>
public sealed partial class DeploymentCombinationTests
{
    public static TheoryData<string> Combinations() => new(ArmDeployment.Combinations);

    static DeployedResource Site(ArmDeployment d) => d.SingleDeployed("Microsoft.Web/sites", "function-app");

    static DeployedResource Plan(ArmDeployment d) => d.SingleDeployed("Microsoft.Web/serverfarms", "function-app");

    static Dictionary<string, object?> Object(object? value) => Assert.IsType<Dictionary<string, object?>>(value);

    static bool IsFlex(ArmDeployment d) => (string)d.Parameter("hostingPlan")! == "FlexConsumption";

    [Fact]
    public void EveryCombinationFile_IsBuiltByCi_AndTestedHere()
    {
        var files = Directory.GetFiles(RepositoryRoot.Combine("infra", "tests"), "*.bicepparam").Select(Path.GetFileNameWithoutExtension).Order();
        Assert.Equal(ArmDeployment.Combinations.Order(), files);
        Assert.Equal("FlexConsumption", ArmDeployment.Load("default").Parameter("hostingPlan"));
        Assert.Equal(true, ArmDeployment.Load("vnet").Parameter("vnetEnabled"));
        Assert.Equal("ElasticPremium", ArmDeployment.Load("premium").Parameter("hostingPlan"));
        Assert.Contains("infra/tests/*.bicepparam", File.ReadAllText(RepositoryRoot.Combine("infra", "validate.sh")), StringComparison.Ordinal);
    }

    // Site properties Flex Consumption refuses as plan-specific (error 51021 "invalid site configuration property"),
    // and app settings it replaced with functionAppConfig.
    static readonly string[] FlexRejectedSiteConfig =
        ["ftpsState", "alwaysOn", "linuxFxVersion", "functionAppScaleLimit", "minimumElasticInstanceCount", "preWarmedInstanceCount",
         "use32BitWorkerProcess", "vnetRouteAllEnabled", "javaVersion", "netFrameworkVersion", "powerShellVersion", "functionsRuntimeScaleMonitoringEnabled"];

    static readonly string[] FlexRejectedAppSettings =
        ["FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE",
         "WEBSITE_NODE_DEFAULT_VERSION", "SCALE_CONTROLLER_SCALE_DOWN_DELAY"];

    [Theory]
    [InlineData("default")]
    [InlineData("vnet")]
    public void FlexConsumption_SiteCarriesNoPropertyThePlanRejects_AndRunsDotnetIsolated10(string combination)
    {
        var d = ArmDeployment.Load(combination);
        Assert.True(IsFlex(d));
        Assert.Equal("FC1", Plan(d).Value("sku.name"));
        Assert.Equal("FlexConsumption", Plan(d).Value("sku.tier"));

        var site = Site(d);
        var siteConfig = Object(site.Value("properties.siteConfig"));
        Assert.Empty(siteConfig.Keys.Intersect(FlexRejectedSiteConfig, StringComparer.OrdinalIgnoreCase));
        Assert.Equal("1.2", siteConfig["minTlsVersion"]);
        Assert.False(site.TryValue("properties.containerSize", out _));

        Assert.Empty(AppSettings.Azure(combination).Keys.Intersect(FlexRejectedAppSettings, StringComparer.OrdinalIgnoreCase));

        Assert.Equal("dotnet-isolated", site.Value("properties.functionAppConfig.runtime.name"));
        Assert.Equal("10.0", site.Value("properties.functionAppConfig.runtime.version"));
        Assert.Equal("blobContainer", site.Value("properties.functionAppConfig.deployment.storage.type"));
        Assert.Equal("UserAssignedIdentity", site.Value("properties.functionAppConfig.deployment.storage.authentication.type"));
    }

    [Fact]
    public void ElasticPremium_RunsDotnetIsolated10_WithTheSettingsFlexTakesFromFunctionAppConfig()
    {
        var d = ArmDeployment.Load("premium");
        Assert.Equal("EP1", Plan(d).Value("sku.name"));
        Assert.Equal("ElasticPremium", Plan(d).Value("sku.tier"));
        Assert.Equal("elastic", Plan(d).Value("kind"));

        var site = Site(d);
        var siteConfig = Object(site.Value("properties.siteConfig"));
        Assert.Equal("DOTNET-ISOLATED|10.0", siteConfig["linuxFxVersion"]);
        Assert.Equal("Disabled", siteConfig["ftpsState"]);
        Assert.Null(site.Value("properties.functionAppConfig"));

        var settings = AppSettings.Azure("premium");
        Assert.Equal("~4", settings["FUNCTIONS_EXTENSION_VERSION"]);
        Assert.Equal("dotnet-isolated", settings["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal("1", settings["WEBSITE_RUN_FROM_PACKAGE"]);
        // No Azure Files content share: it would need a shared-key connection string, and the accounts refuse shared keys.
        Assert.DoesNotContain("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", settings.Keys);
    }

    [Fact]
    public void Location_IsRestrictedToTheListedRegions_AndFlexConsumptionOutsideItsRegionsFailsEarly()
    {
        var location = ArmTemplate.Main.Root.Required("parameters.location");
        var allowed = location.Required("allowedValues").EnumerateArray().Select(v => v.GetString()!).ToList();
        Assert.Contains("eastasia", allowed);
        Assert.Contains("chinanorth3", allowed);
        Assert.DoesNotContain("eastus2euap", allowed);
        Assert.Equal("location", location.RequiredString("metadata.azd.type"));

        var flexRegions = ArmTemplate.Main.Root.Required("variables.flexConsumptionRegions").EnumerateArray().Select(v => v.GetString()!).ToList();
        Assert.Subset(allowed.ToHashSet(), flexRegions.ToHashSet());
        Assert.DoesNotContain(flexRegions, r => r.StartsWith("china", StringComparison.Ordinal));

        // The list's source and date are written next to it.
        var bicep = File.ReadAllText(RepositoryRoot.Combine("infra", "main.bicep"));
        Assert.Contains("az functionapp list-flexconsumption-locations", bicep, StringComparison.Ordinal);
        Assert.Matches(@"read \d{4}-\d{2}-\d{2}", bicep);

        // Flex Consumption in a China region: the resource group's location calls fail() before anything is created.
        var template = ArmDeployment.Load("premium").Root.Template;
        var flexInChina = new ArmScope(template, new Dictionary<string, object?>
        {
            ["environmentName"] = "x", ["location"] = "chinanorth3", ["hostingPlan"] = "FlexConsumption",
        });
        var failure = Assert.Throws<ArmFailure>(() => flexInChina.Variable("deploymentLocation"));
        Assert.Contains("ElasticPremium", failure.Message, StringComparison.Ordinal);
        var flexInEastAsia = new ArmScope(template, new Dictionary<string, object?> { ["environmentName"] = "x", ["location"] = "eastasia" });
        Assert.Equal("eastasia", flexInEastAsia.Variable("deploymentLocation"));
    }

    [Fact]
    public void DurableGroup_HasOneAlwaysReadyInstanceByDefault()
    {
        Assert.Equal(1, ArmTemplate.Main.Root.Required("parameters.durableAlwaysReadyInstances.defaultValue").GetInt32());
        Assert.Equal(1L, ArmDeployment.Load("default").Parameter("durableAlwaysReadyInstances"));

        var alwaysReady = Assert.IsType<List<object?>>(Site(ArmDeployment.Load("default")).Value("properties.functionAppConfig.scaleAndConcurrency.alwaysReady"));
        var group = Object(Assert.Single(alwaysReady));
        Assert.Equal("durable", group["name"]);
        Assert.Equal(1L, group["instanceCount"]);
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void PrivateNetworking_FollowsVnetEnabled(string combination)
    {
        var d = ArmDeployment.Load(combination);
        var vnet = (bool)d.Parameter("vnetEnabled")!;
        var accounts = d.Deployed("Microsoft.Storage/storageAccounts");
        Assert.NotEmpty(accounts);
        var vault = d.SingleDeployed("Microsoft.KeyVault/vaults", "keyvault");
        foreach (var resource in accounts.Append(vault))
        {
            Assert.Equal(vnet ? "Disabled" : "Enabled", resource.Value("properties.publicNetworkAccess"));
            Assert.Equal(vnet ? "Deny" : "Allow", resource.Value("properties.networkAcls.defaultAction"));
        }

        var endpointModules = d.Resources.Where(r => r.Type == "Microsoft.Resources/deployments" && r.Name.Contains("pe-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, endpointModules.Count);
        Assert.All(endpointModules, m => Assert.Equal(vnet, m.Deployed));
        Assert.Equal(vnet, d.Resources.Single(r => r.Type == "Microsoft.Network/virtualNetworks").Deployed);
        Assert.Equal(vnet, d.Resources.Any(r => r.Type == "Microsoft.Network/privateEndpoints" && r.Deployed == true));

        var subnet = Site(d).Value("properties.virtualNetworkSubnetId");
        if (vnet)
        {
            Assert.IsType<ArmUnknown>(subnet);
            // Blob, queue and table of every account the app uses, and the vault.
            var storageEndpoints = Assert.IsType<List<object?>>(d.Root.Variable("storagePrivateEndpoints"));
            Assert.Equal(accounts.Count * 3, storageEndpoints.Count);
            Assert.Equal(["blob", "queue", "table"], storageEndpoints.Select(e => (string)Object(e)["service"]!).Distinct().Order());
            var network = d.SingleDeployed("Microsoft.Network/virtualNetworks", "network");
            var appSubnet = Object(Object(Assert.IsType<List<object?>>(network.Value("properties.subnets"))[0])["properties"]);
            var delegation = Object(Object(Assert.Single(Assert.IsType<List<object?>>(appSubnet["delegations"])))["properties"]);
            Assert.Equal(IsFlex(d) ? "Microsoft.App/environments" : "Microsoft.Web/serverFarms", delegation["serviceName"]);
        }
        else
        {
            Assert.Null(subnet);
        }
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void ZoneRedundancy_AndTheSeparateTaskHubAccount_FollowTheirOptions(string combination)
    {
        var d = ArmDeployment.Load(combination);
        var zones = (bool)d.Parameter("zoneRedundant")!;
        var separate = (bool)d.Parameter("durableStorageSeparate")!;

        Assert.Equal(zones, Plan(d).Value("properties.zoneRedundant"));
        Assert.Equal(zones ? "Standard_ZRS" : "Standard_LRS", d.SingleDeployed("Microsoft.Storage/storageAccounts", "host-storage").Value("sku.name"));
        Assert.Equal(separate, d.Resources.Single(r => r.Type == "Microsoft.Storage/storageAccounts" && r.Module == "durable-storage").Deployed);
        Assert.Equal(separate ? 3 : 2, d.Deployed("Microsoft.Storage/storageAccounts").Count);
        // The task hub's connection names its account: the host account unless separate.
        Assert.Equal("[variables('durableStorageAccountName')]",
            Assert.IsType<ArmUnknown>(d.Resources.Single(r => r.Name == "function-app" && r.Module == "main").Value("properties.parameters.durableStorageAccountName.value")).Expression);
        var durableAccount = Assert.IsType<ArmUnknown>(d.Root.Variable("durableStorageAccountName")).Expression;
        Assert.Contains(separate ? "'sthub{0}'" : "variables('hostStorageAccountName')", durableAccount, StringComparison.Ordinal);
        // The task hub account gets no deployment container.
        if (separate)
        {
            Assert.Equal(false, d.Resources.Single(r => r.Type.EndsWith("/containers", StringComparison.Ordinal) && r.Module == "durable-storage").Deployed);
        }
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void KeyVaultPurgeProtection_IsOnInProduction_Only(string combination)
    {
        var d = ArmDeployment.Load(combination);
        var production = (string)d.Parameter("environmentType")! == "prod";
        var purge = d.SingleDeployed("Microsoft.KeyVault/vaults", "keyvault").Value("properties.enablePurgeProtection");
        Assert.Equal(production ? true : null, purge);
        Assert.Equal(combination == "vnet", production);
    }

    [Fact]
    public void KeyVaultName_TakesTheSuffix_SoADeletedVaultsNameNeedNotBeWaitedFor()
    {
        Assert.Equal("[format('kv-{0}{1}', variables('resourceToken'), parameters('keyVaultNameSuffix'))]", ArmTemplate.Main.Root.RequiredString("variables.keyVaultName"));
        var suffix = ArmTemplate.Main.Root.Required("parameters.keyVaultNameSuffix");
        Assert.Equal("", suffix.RequiredString("defaultValue"));
        // kv- + 13 (uniqueString) + 4 = 20 ≤ 24 characters.
        Assert.Equal(4, suffix.Required("maxLength").GetInt32());
        // azd down forgets which vault holds the key (the postdown hook), so the next azd up writes one again.
        Assert.Contains("azd env set LINK_SIGNING_KEY_VAULT", File.ReadAllText(RepositoryRoot.Combine("azure.yaml")), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void SignInSetting_IsWrittenWithAuthSettingsV2_FromTheSameConditions(string combination)
    {
        var d = ArmDeployment.Load(combination);
        var entra = !string.IsNullOrEmpty((string?)d.Parameter("authClientId"));
        var oidc = !string.IsNullOrEmpty((string?)d.Parameter("oidcWellKnownUrl")) && !string.IsNullOrEmpty((string?)d.Parameter("oidcClientId"));
        var settings = AppSettings.Azure(combination);
        var auth = d.SingleDeployed("Microsoft.Web/sites/config", "function-app", r => r.Name.Contains("'authsettingsV2'", StringComparison.Ordinal));

        Assert.Equal(string.Join(",", new[] { entra ? "aad" : "", oidc ? "oidc" : "" }.Where(p => p.Length > 0)), settings[SettingNames.SignInProvider]);
        Assert.Equal(entra || oidc, auth.Value("properties.platform.enabled"));
        Assert.Equal(entra, auth.Value("properties.identityProviders.azureActiveDirectory.enabled"));
        Assert.Equal(oidc, auth.Value("properties.identityProviders.customOpenIdConnectProviders.oidc.enabled"));
        Assert.Equal("AllowAnonymous", auth.Value("properties.globalValidation.unauthenticatedClientAction"));

        // The OpenID Connect client secret: a Key Vault reference in the setting the provider names, readable by the identity.
        Assert.Equal("OIDC_CLIENT_SECRET", auth.Value("properties.identityProviders.customOpenIdConnectProviders.oidc.registration.clientCredential.clientSecretSettingName"));
        if (oidc)
        {
            Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0}secrets/{1}/)'", settings["OIDC_CLIENT_SECRET"], StringComparison.Ordinal);
            Assert.Equal(d.Parameter("oidcWellKnownUrl"),
                auth.Value("properties.identityProviders.customOpenIdConnectProviders.oidc.registration.openIdConnectConfiguration.wellKnownOpenIdConfiguration"));
        }
        else
        {
            Assert.Equal("", settings["OIDC_CLIENT_SECRET"]);
        }

        var roles = d.Resources.Single(r => r.Name == "roles" && r.Module == "main");
        Assert.Equal(oidc ? "oidc-client-secret" : "", roles.Value("properties.parameters.oidcClientSecretName.value"));
        Assert.Equal(oidc, d.Resources.Single(r => r.Type == "Microsoft.Authorization/roleAssignments" && r.Element.GetProperty("scope").GetString()!.Contains("oidcClientSecret", StringComparison.Ordinal)).Deployed);
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void DiagnosticSettings_SendStorageKeyVaultAndTheAppToLogAnalytics_UnderADailyCap(string combination)
    {
        var d = ArmDeployment.Load(combination);
        var settings = d.Deployed("Microsoft.Insights/diagnosticSettings");
        var accounts = d.Deployed("Microsoft.Storage/storageAccounts").Count;
        // Per account: the account (metrics) and its blob, queue and table services (logs and metrics); Key Vault; the app.
        Assert.Equal(accounts * 4 + 2, settings.Count);
        Assert.All(settings, s =>
        {
            Assert.Equal("[parameters('workspaceId')]", Assert.IsType<ArmUnknown>(s.Value("properties.workspaceId")).Expression);
            Assert.Contains("outputs.logAnalyticsId", s.Scope.Parameter("workspaceId")!.ToString(), StringComparison.Ordinal);
        });
        Assert.Equal(accounts, d.Resources.Count(r => r.Type == "Microsoft.Resources/deployments" && r.Name.EndsWith("-storage-diagnostics", StringComparison.Ordinal) && r.Deployed == true));

        var services = settings.Where(s => s.Module.EndsWith("-storage-diagnostics", StringComparison.Ordinal) && s.TryValue("properties.logs", out _)).ToList();
        Assert.Equal(accounts * 3, services.Count);
        var vault = Assert.Single(settings, s => s.Module == "diagnostics" && s.Element.GetProperty("scope").GetString()!.Contains("Microsoft.KeyVault", StringComparison.Ordinal));
        Assert.Equal("audit", Object(Assert.IsType<List<object?>>(vault.Value("properties.logs"))[0])["categoryGroup"]);

        var workspace = d.SingleDeployed("Microsoft.OperationalInsights/workspaces", "monitoring");
        Assert.Equal(1L, workspace.Value("properties.workspaceCapping.dailyQuotaGb"));
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Alerts_GoToTheActionGroup_ForEveryStorageAccount_AndTheAppsFailures(string combination)
    {
        var d = ArmDeployment.Load(combination);
        var operations = d.SingleDeployed("Microsoft.Insights/actionGroups", "operations");
        var receivers = Assert.IsType<List<object?>>(operations.Value("properties.emailReceivers"));
        var email = (string?)d.Parameter("alertEmail");
        Assert.Equal(string.IsNullOrEmpty(email) ? 0 : 1, receivers.Count);
        if (receivers.Count == 1)
        {
            Assert.Equal(email, Object(receivers[0])["emailAddress"]);
        }

        var logAlerts = d.SingleDeployed("Microsoft.Insights/scheduledQueryRules", "operations");
        var definitions = Assert.IsType<List<object?>>(logAlerts.Scope.Variable("logAlerts")).Select(Object).ToList();
        Assert.Equal(["failed-orchestrations", "http-5xx-rate", "settlement-not-closed", "calendar-missing"], definitions.Select(a => (string)a["name"]!));

        var throttling = d.SingleDeployed("Microsoft.Insights/metricAlerts", "operations");
        var watched = Assert.IsType<List<object?>>(throttling.Scope.Parameter("storageAccountNames"));
        Assert.Equal(d.Deployed("Microsoft.Storage/storageAccounts").Count, watched.Count);
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void SlaQueries_AreSavedInTheWorkspace_AndShownInOneWorkbook(string combination)
    {
        var d = ArmDeployment.Load(combination);
        var saved = d.SingleDeployed("Microsoft.OperationalInsights/workspaces/savedSearches", "operations");
        var queries = Assert.IsType<List<object?>>(saved.Scope.Variable("slaQueries")).Select(Object).ToList();
        Assert.Equal(["reviews-past-deadline", "bindings-overdue", "settlements-not-closed", "sla-weekly"], queries.Select(q => (string)q["name"]!));
        Assert.Equal("Voucher SLA", saved.Value("properties.category"));
        // One saved search per query (the resource loops over the same list).
        Assert.Equal((long)queries.Count, saved.Value("copy.count"));

        var workbook = d.SingleDeployed("Microsoft.Insights/workbooks", "operations");
        Assert.Equal("Voucher SLA", workbook.Value("properties.displayName"));
        using var data = System.Text.Json.JsonDocument.Parse(Assert.IsType<string>(workbook.Value("properties.serializedData")));
        Assert.Equal("Notebook/1.0", data.RootElement.GetProperty("version").GetString());
        var items = data.RootElement.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("type").GetInt32() == 3).ToList();
        Assert.Equal(queries.Select(q => (string)q["query"]!), items.Select(i => i.GetProperty("content").GetProperty("query").GetString()));
        Assert.Equal(queries.Select(q => (string)q["displayName"]!), items.Select(i => i.GetProperty("content").GetProperty("title").GetString()));
    }

    [Fact]
    public void LogQueries_SelectEventIdsTheAppActuallyLogs()
    {
        var emitted = typeof(SettingNames).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .Where(a => a is not null)
            .ToDictionary(a => a!.EventId, a => a!.Message);
        var operations = File.ReadAllText(RepositoryRoot.Combine("infra", "app", "operations.bicep"));
        var used = EventIdInQuery().Matches(operations).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();

        Assert.Equal([5001, 6005, 6006, 6213, 6214, 6215, 6304, 6305, 6307], used.Order());
        Assert.All(used, id => Assert.True(emitted.ContainsKey(id), $"operations.bicep queries EventId {id}, which no [LoggerMessage] in Voucher.Workflows declares"));
        // The properties the queries read are named in those messages.
        Assert.Contains("{BatchId}", emitted[6307], StringComparison.Ordinal);
        Assert.Contains("{End}", emitted[6304], StringComparison.Ordinal);
        Assert.Contains("{NewEnd}", emitted[6305], StringComparison.Ordinal);
        Assert.Contains("{ApplicationId}", emitted[6005], StringComparison.Ordinal);
        Assert.Contains("{RedemptionId}", emitted[6213], StringComparison.Ordinal);
        Assert.Contains("{Deadline}", emitted[6213], StringComparison.Ordinal);
    }

    [GeneratedRegex("\"(\\d{4})\"")]
    private static partial Regex EventIdInQuery();
}
