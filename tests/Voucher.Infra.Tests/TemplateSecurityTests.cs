using System.Text.Json;
using System.Text.RegularExpressions;
using Voucher.Infra.Tests.Support;

namespace Voucher.Infra.Tests;

/// <summary>Security settings read from the compiled ARM template of infra/main.bicep.</summary>
public sealed partial class TemplateSecurityTests
{
    // Built-in role definition ids.
    const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    static readonly ArmTemplate Template = ArmTemplate.Main;

    [Fact]
    public void Template_IsSubscriptionScoped_AndCreatesTheEnvironmentResourceGroup()
    {
        Assert.Contains("subscriptionDeploymentTemplate", Template.Root.RequiredString("$schema"), StringComparison.Ordinal);
        var group = Assert.Single(Template.OfType("Microsoft.Resources/resourceGroups"));
        Assert.Equal("[format('rg-{0}', parameters('environmentName'))]", group.Name);
        Assert.Equal(
            "[uniqueString(subscription().id, parameters('environmentName'), parameters('location'))]",
            Template.Root.RequiredString("variables.resourceToken"));
    }

    [Fact]
    public void StorageAccounts_AreTwo_HostAndApplicationData()
    {
        var accounts = Template.OfType("Microsoft.Storage/storageAccounts");
        Assert.Equal(["data-storage", "host-storage"], accounts.Select(a => a.Module).Order().ToArray());
    }

    [Fact]
    public void EveryStorageAccount_RefusesSharedKeys_PlainHttp_OldTls_AndPublicBlobs()
    {
        var accounts = Template.OfType("Microsoft.Storage/storageAccounts");
        Assert.NotEmpty(accounts);
        foreach (var account in accounts)
        {
            var properties = account.Properties;
            Assert.False(properties.RequiredBool("allowSharedKeyAccess"), $"{account}: allowSharedKeyAccess");
            Assert.Equal("TLS1_2", properties.RequiredString("minimumTlsVersion"));
            Assert.True(properties.RequiredBool("supportsHttpsTrafficOnly"), $"{account}: supportsHttpsTrafficOnly");
            Assert.False(properties.RequiredBool("allowBlobPublicAccess"), $"{account}: allowBlobPublicAccess");
            Assert.True(properties.RequiredBool("defaultToOAuthAuthentication"), $"{account}: defaultToOAuthAuthentication");
        }
    }

    [Fact]
    public void EvidenceAccount_BlobService_HasSoftDeleteAndVersioning()
    {
        var blobService = Template.Single("Microsoft.Storage/storageAccounts/blobServices", "data-storage");
        var properties = blobService.Properties;

        Assert.True(properties.RequiredBool("isVersioningEnabled"));
        Assert.True(properties.RequiredBool("deleteRetentionPolicy.enabled"));
        Assert.True(properties.RequiredBool("containerDeleteRetentionPolicy.enabled"));
        var days = blobService.ParameterDefault("evidenceRetentionDays");
        Assert.True(days?.GetInt32() >= 7, "evidence soft delete should keep deleted blobs at least 7 days");
    }

    [Fact]
    public void BlobContainers_AreNeverPublic()
    {
        var containers = Template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal(3, containers.Count); // deployment package, evidence, backups
        Assert.All(containers, c => Assert.Equal("None", c.Properties.RequiredString("publicAccess")));
    }

    [Fact]
    public void Site_IsHttpsOnly_WithOnlyTheUserAssignedIdentity()
    {
        var site = Template.Single("Microsoft.Web/sites", "function-app");

        Assert.True(site.Properties.RequiredBool("httpsOnly"));
        Assert.Equal("1.2", site.Properties.RequiredString("siteConfig.minTlsVersion"));
        Assert.Equal("Disabled", site.Properties.RequiredString("siteConfig.ftpsState"));
        Assert.Equal("UserAssigned", site.Element.RequiredString("identity.type"));
        var identities = site.Element.Required("identity.userAssignedIdentities").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["[format('{0}', parameters('identityId'))]"], identities);
    }

    [Fact]
    public void Site_RunsDotnetIsolated10_OnFlexConsumption_DeployingWithTheIdentity()
    {
        var plan = Template.Single("Microsoft.Web/serverfarms", "function-app");
        Assert.Equal("FC1", plan.Element.RequiredString("sku.name"));
        Assert.Equal("FlexConsumption", plan.Element.RequiredString("sku.tier"));

        var site = Template.Single("Microsoft.Web/sites", "function-app");
        Assert.Equal("functionapp,linux", site.Element.RequiredString("kind"));
        var config = site.Properties.Required("functionAppConfig");
        Assert.Equal("dotnet-isolated", config.RequiredString("runtime.name"));
        Assert.Equal("10.0", config.RequiredString("runtime.version"));
        Assert.Equal("blobContainer", config.RequiredString("deployment.storage.type"));
        Assert.Equal("UserAssignedIdentity", config.RequiredString("deployment.storage.authentication.type"));
        Assert.Equal("[parameters('identityId')]", config.RequiredString("deployment.storage.authentication.userAssignedIdentityResourceId"));
    }

    [Theory]
    [InlineData("ftp")]
    [InlineData("scm")]
    public void BasicPublishingCredentials_AreOff(string channel)
    {
        var policy = Template.Single("Microsoft.Web/sites/basicPublishingCredentialsPolicies", "function-app",
            r => r.Name.Contains($"'{channel}'", StringComparison.Ordinal));
        Assert.False(policy.Properties.RequiredBool("allow"));
    }

    [Theory]
    [InlineData(StorageBlobDataOwner, "hostStorageAccountName")]
    [InlineData(StorageQueueDataContributor, "hostStorageAccountName")]
    [InlineData(StorageTableDataContributor, "hostStorageAccountName")]
    [InlineData(StorageBlobDataContributor, "dataStorageAccountName")]
    [InlineData(StorageTableDataContributor, "dataStorageAccountName")]
    [InlineData(StorageQueueDataContributor, "dataStorageAccountName")]
    [InlineData(KeyVaultSecretsUser, "linkSigningKeySecretName")]
    [InlineData(MonitoringMetricsPublisher, "applicationInsightsName")]
    public void Identity_HoldsRole_OnTheIntendedScope(string roleId, string scopeParameter)
    {
        var matches = RoleAssignments()
            .Where(a => a.RoleId == roleId && a.Resource.Element.RequiredString("scope").Contains(scopeParameter, StringComparison.Ordinal))
            .ToList();
        var assignment = Assert.Single(matches);

        Assert.Equal("ServicePrincipal", assignment.Resource.Properties.RequiredString("principalType"));
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", assignment.Resource.Properties.RequiredString("principalId"), StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_HoldsExactlyTheDataPlaneRolesItNeeds_AndNoOther()
    {
        var assignments = RoleAssignments();
        string[] allowed = [StorageBlobDataOwner, StorageBlobDataContributor, StorageQueueDataContributor, StorageTableDataContributor, KeyVaultSecretsUser, MonitoringMetricsPublisher];

        Assert.Equal(8, assignments.Count);
        Assert.All(assignments, a => Assert.Contains(a.RoleId, allowed));
        Assert.All(assignments, a => Assert.Equal("ServicePrincipal", a.Resource.Properties.RequiredString("principalType")));
        // Blob Data Owner only where the Functions host needs it, never on the evidence account.
        var owner = Assert.Single(assignments, a => a.RoleId == StorageBlobDataOwner);
        Assert.DoesNotContain("dataStorageAccountName", owner.Resource.Element.RequiredString("scope"), StringComparison.Ordinal);
    }

    [Fact]
    public void KeyVault_UsesRbac_AndSoftDelete_WithTheSecretFromASecureParameter()
    {
        var vault = Template.Single("Microsoft.KeyVault/vaults", "keyvault");
        Assert.True(vault.Properties.RequiredBool("enableRbacAuthorization"));
        Assert.True(vault.Properties.RequiredBool("enableSoftDelete"));
        Assert.False(vault.Properties.TryGetProperty("accessPolicies", out _), "RBAC only: no access policies");

        var secret = Template.Single("Microsoft.KeyVault/vaults/secrets", "keyvault");
        Assert.Equal("[parameters('linkSigningKey')]", secret.Properties.RequiredString("value"));

        var parameter = Template.Root.Required("parameters.linkSigningKey");
        Assert.Equal("securestring", parameter.RequiredString("type"));
        Assert.False(parameter.TryGetProperty("defaultValue", out _), "the link-signing key must have no default");
        Assert.Equal(44, parameter.Required("minLength").GetInt32());
    }

    [Fact]
    public void ApplicationInsights_AcceptsOnlyEntraAuthenticatedTelemetry()
    {
        var component = Template.Single("Microsoft.Insights/components", "monitoring");
        Assert.True(component.Properties.RequiredBool("DisableLocalAuth"));
        Assert.Contains("Microsoft.OperationalInsights/workspaces", component.Properties.RequiredString("WorkspaceResourceId"), StringComparison.Ordinal);
    }

    [Fact]
    public void AuthSettingsV2_UsesEntraId_AndLetsTheAppDecidePerRoute()
    {
        var auth = Template.Single("Microsoft.Web/sites/config", "function-app", r => r.Name.Contains("'authsettingsV2'", StringComparison.Ordinal));
        var properties = auth.Properties;

        Assert.False(properties.RequiredBool("globalValidation.requireAuthentication"));
        Assert.Equal("AllowAnonymous", properties.RequiredString("globalValidation.unauthenticatedClientAction"));
        Assert.True(properties.RequiredBool("httpSettings.requireHttps"));

        var entra = properties.Required("identityProviders.azureActiveDirectory");
        // authClientId '' (default) leaves the provider off; the app then serves only public routes.
        Assert.Equal("[variables('authEnabled')]", entra.RequiredString("enabled"));
        Assert.Equal("[not(empty(parameters('authClientId')))]", auth.Template.RequiredString("variables.authEnabled"));
        Assert.Equal("", auth.ParameterDefault("authClientId")?.GetString());
        Assert.Equal("[parameters('authClientId')]", entra.RequiredString("registration.clientId"));
        var issuer = entra.RequiredString("registration.openIdIssuer");
        Assert.Contains("environment().authentication.loginEndpoint", issuer, StringComparison.Ordinal);
        Assert.Contains("tenant().tenantId", issuer, StringComparison.Ordinal);
        Assert.Contains("/v2.0", issuer, StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_FollowTheAzdConvention_AndCarryNoSecret()
    {
        var outputs = Template.Root.Required("outputs").EnumerateObject().ToList();
        Assert.All(outputs, o => Assert.Matches(UpperSnake(), o.Name));
        foreach (var required in new[] { "AZURE_LOCATION", "AZURE_TENANT_ID", "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME", "TASK_HUB_NAME" })
        {
            Assert.Contains(required, outputs.Select(o => o.Name));
        }

        Assert.All(outputs, o => Assert.DoesNotContain("linkSigningKey", o.Value.GetRawText(), StringComparison.Ordinal));
    }

    sealed record RoleAssignment(ArmResource Resource, string RoleId);

    static List<RoleAssignment> RoleAssignments() =>
        Template.OfType("Microsoft.Authorization/roleAssignments")
            .Select(r =>
            {
                var definition = r.ResolveVariables(r.Properties.RequiredString("roleDefinitionId"));
                var guid = RoleGuid().Match(definition);
                Assert.True(guid.Success, $"{r}: no role definition GUID in {definition}");
                return new RoleAssignment(r, guid.Value);
            })
            .ToList();

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex RoleGuid();

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    private static partial Regex UpperSnake();
}
