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
    public void StorageAccounts_AreHostApplicationData_AndTheOptionalTaskHubAccount()
    {
        var accounts = Template.OfType("Microsoft.Storage/storageAccounts");
        Assert.Equal(["data-storage", "durable-storage", "host-storage"], accounts.Select(a => a.Module).Order().ToArray());
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
        // At least evidence, the deployment package, and the host-storage module's container in the task-hub account
        // (never created there), and the backups container of the data account; every one private.
        Assert.True(containers.Count >= 4, $"{containers.Count} containers");
        Assert.Contains(containers, c => c.Module == "data-storage" && c.Name.Contains("evidenceContainerName", StringComparison.Ordinal));
        Assert.Contains(containers, c => c.Module == "data-storage" && c.Name.Contains("backup", StringComparison.OrdinalIgnoreCase));
        Assert.All(containers, c => Assert.Equal("None", c.Properties.RequiredString("publicAccess")));
    }

    [Fact]
    public void Site_IsHttpsOnly_WithOnlyTheUserAssignedIdentity()
    {
        var site = Template.Single("Microsoft.Web/sites", "function-app");

        Assert.True(site.Properties.RequiredBool("httpsOnly"));
        Assert.Equal("1.2", site.Template.RequiredString("variables.commonSiteConfig.minTlsVersion"));
        Assert.Equal("UserAssigned", site.Element.RequiredString("identity.type"));
        var identities = site.Element.Required("identity.userAssignedIdentities").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["[format('{0}', parameters('identityId'))]"], identities);
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
    [InlineData(StorageBlobDataOwner, "durableStorageAccountName")]
    [InlineData(StorageQueueDataContributor, "durableStorageAccountName")]
    [InlineData(StorageTableDataContributor, "durableStorageAccountName")]
    [InlineData(StorageBlobDataContributor, "dataStorageAccountName")]
    [InlineData(StorageTableDataContributor, "dataStorageAccountName")]
    [InlineData(StorageQueueDataContributor, "dataStorageAccountName")]
    [InlineData(KeyVaultSecretsUser, "linkSigningKeySecretName")]
    [InlineData(KeyVaultSecretsUser, "oidcClientSecretName")]
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

        // 8, plus (conditional) the task hub's three on its own account when durableStorageSeparate and the
        // OpenID Connect client secret when that provider is configured.
        Assert.Equal(12, assignments.Count);
        Assert.Equal(4, assignments.Count(a => a.Resource.Element.TryGetProperty("condition", out _)));
        Assert.All(assignments, a => Assert.Contains(a.RoleId, allowed));
        Assert.All(assignments, a => Assert.Equal("ServicePrincipal", a.Resource.Properties.RequiredString("principalType")));
        // Blob Data Owner only where the Functions host and the task hub need it, never on the evidence account.
        var owners = assignments.Where(a => a.RoleId == StorageBlobDataOwner).ToList();
        Assert.Equal(2, owners.Count);
        Assert.All(owners, owner => Assert.DoesNotContain("dataStorageAccountName", owner.Resource.Element.RequiredString("scope"), StringComparison.Ordinal));
    }

    [Fact]
    public void KeyVault_UsesRbac_AndSoftDelete_WithAGeneratedKeyWrittenOncePerVault()
    {
        var vault = Template.Single("Microsoft.KeyVault/vaults", "keyvault");
        Assert.True(vault.Properties.RequiredBool("enableRbacAuthorization"));
        Assert.True(vault.Properties.RequiredBool("enableSoftDelete"));
        Assert.False(vault.Properties.TryGetProperty("accessPolicies", out _), "RBAC only: no access policies");

        // Generated in the deployment from a secure parameter whose default is newGuid() twice; no operator value.
        var secret = Template.Single("Microsoft.KeyVault/vaults/secrets", "keyvault", r => r.Name.Contains("linkSigningKeySecretName", StringComparison.Ordinal));
        Assert.Equal("[base64(parameters('linkSigningKeySeed'))]", secret.Properties.RequiredString("value"));
        Assert.Equal("[parameters('writeLinkSigningKey')]", secret.Element.RequiredString("condition"));
        var seed = Template.Root.Required("parameters.linkSigningKeySeed");
        Assert.Equal("securestring", seed.RequiredString("type"));
        Assert.Equal("[format('{0}{1}', newGuid(), newGuid())]", seed.RequiredString("defaultValue"));
        Assert.False(Template.Root.Required("parameters").TryGetProperty("linkSigningKey", out _), "no operator-supplied key passes through azd's .env");

        // The OpenID Connect client secret: written only when given, so an empty value keeps the stored one.
        var oidc = Template.Single("Microsoft.KeyVault/vaults/secrets", "keyvault", r => r.Name.Contains("oidcClientSecretName", StringComparison.Ordinal));
        Assert.Equal("[not(empty(parameters('oidcClientSecret')))]", oidc.Element.RequiredString("condition"));
        Assert.Equal("securestring", Template.Root.RequiredString("parameters.oidcClientSecret.type"));

        // Written again only when the last provision's output does not name this vault.
        var module = Template.Single("Microsoft.Resources/deployments", "main", r => r.Name == "keyvault");
        Assert.Equal("[not(equals(parameters('linkSigningKeyVault'), variables('keyVaultName')))]",
            module.Properties.RequiredString("parameters.writeLinkSigningKey.value"));
        var output = Template.Root.RequiredString("outputs.LINK_SIGNING_KEY_VAULT.value");
        Assert.Contains("'keyvault')", output, StringComparison.Ordinal);
        Assert.EndsWith(".outputs.name.value]", output, StringComparison.Ordinal);
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
