using Voucher.Infra.Tests.Support;
using Voucher.Workflows.Configuration;

namespace Voucher.Infra.Tests;

/// <summary>Every setting the app reads (SettingNames.All) exists locally and in Azure, in the right form.</summary>
public sealed class SettingsConsistencyTests
{
    public static TheoryData<string> SettingsTheAppReads()
    {
        var data = new TheoryData<string>();
        foreach (var name in SettingNames.All)
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void SettingNamesAll_IsNotEmpty_SoTheTheoriesBelowCheckSomething()
    {
        Assert.NotEmpty(SettingNames.All);
        Assert.Equal(SettingNames.All.Count, SettingNames.All.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(SettingsTheAppReads))]
    public void Setting_IsListedIn_LocalSettingsSample(string setting)
    {
        var local = AppSettings.LocalSample();
        Assert.True(AppSettings.IsPresent(local.Keys, setting),
            $"'{setting}' (SettingNames.All) is missing from local.settings.sample.json Values. Present: {string.Join(", ", local.Keys)}");
    }

    [Theory]
    [MemberData(nameof(SettingsTheAppReads))]
    public void Setting_IsListedIn_BicepAppSettings(string setting)
    {
        var azure = AppSettings.Azure();
        Assert.True(AppSettings.IsPresent(azure.Keys, setting),
            $"'{setting}' (SettingNames.All) is missing from the app settings in infra/app/function-app.bicep. Present: {string.Join(", ", azure.Keys)}");
    }

    [Theory]
    [InlineData(SettingNames.DurableStorage, "durableStorageAccountName")]
    [InlineData("AzureWebJobsStorage", "hostStorageAccountName")]
    [InlineData(SettingNames.VoucherStorage, "dataStorageAccountName")]
    public void StorageConnection_InAzure_IsIdentityBased_OnTheIntendedAccount(string connection, string accountParameter)
    {
        var azure = AppSettings.Azure();

        Assert.False(azure.ContainsKey(connection), $"'{connection}' must not be a connection string in Azure (shared keys are off).");
        Assert.Equal("managedidentity", azure.GetValueOrDefault($"{connection}__credential"));
        Assert.Equal("[parameters('identityClientId')]", azure.GetValueOrDefault($"{connection}__clientId"));
        foreach (var service in new[] { "blob", "queue", "table" })
        {
            var uri = azure.GetValueOrDefault($"{connection}__{service}ServiceUri");
            Assert.True(uri is not null, $"'{connection}__{service}ServiceUri' is missing from the Bicep app settings.");
            Assert.Contains(accountParameter, uri, StringComparison.Ordinal);
            Assert.Contains($"primaryEndpoints.{service}", uri, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void LinkSigningKey_InAzure_IsAKeyVaultReferenceResolvedWithTheUserAssignedIdentity()
    {
        var value = AppSettings.Azure().GetValueOrDefault(SettingNames.LinkSigningKey);
        Assert.NotNull(value);
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})'", value, StringComparison.Ordinal);
        Assert.Contains("Microsoft.KeyVault/vaults/secrets", value, StringComparison.Ordinal);

        var site = ArmTemplate.Main.Single("Microsoft.Web/sites", "function-app");
        Assert.Equal("[parameters('identityId')]", site.Properties.RequiredString("keyVaultReferenceIdentity"));
    }

    [Fact]
    public void TaskHubAndSchedule_InAzure_ComeFromTheEnvironmentAndTheDocumentedDefault()
    {
        var settings = AppSettings.AzureResource();
        var azure = AppSettings.Azure();

        // infra/tests/default.bicepparam: environmentName voucher-ci → task hub voucher + voucherci.
        Assert.Equal("vouchervoucherci", azure[SettingNames.TaskHubName]);
        Assert.Equal("0 */1 * * * *", azure[SettingNames.OutboxSchedule]);
        Assert.Equal("0 */1 * * * *", settings.ParameterDefault("outboxSchedule")?.GetString());
        Assert.StartsWith("[format('https://{0}'", azure[SettingNames.PublicBaseUrl], StringComparison.Ordinal);
        Assert.Contains(".defaultHostName", azure[SettingNames.PublicBaseUrl], StringComparison.Ordinal);

        var taskHub = ArmTemplate.Main.Root.Required("variables").RequiredString("taskHubName");
        Assert.Contains("voucher", taskHub, StringComparison.Ordinal);
        Assert.Contains("sanitizedEnvironmentName", taskHub, StringComparison.Ordinal);
    }

    [Fact]
    public void DurablePartitionCount_IsAParameter_PassedAsTheHostJsonOverride()
    {
        var azure = AppSettings.Azure();
        Assert.Equal("4", azure.GetValueOrDefault("AzureFunctionsJobHost__extensions__durableTask__storageProvider__partitionCount"));
        var module = ArmTemplate.Main.Single("Microsoft.Resources/deployments", "main", r => r.Name == "function-app");
        Assert.Equal("[parameters('durablePartitionCount')]", module.Properties.RequiredString("parameters.durablePartitionCount.value"));

        var parameter = ArmTemplate.Main.Root.Required("parameters.durablePartitionCount");
        Assert.Equal(1, parameter.Required("minValue").GetInt32());
        Assert.Equal(16, parameter.Required("maxValue").GetInt32());
        Assert.Equal(4, parameter.Required("defaultValue").GetInt32());
    }

    [Fact]
    public void RuntimeSettings_InAzure_IncludeTelemetryWithEntraAuth()
    {
        var azure = AppSettings.Azure();
        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", azure.Keys);
        Assert.Contains("Authorization=AAD", azure.GetValueOrDefault("APPLICATIONINSIGHTS_AUTHENTICATION_STRING"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    [InlineData("WEBSITE_CONTENTSHARE")]
    public void FlexConsumption_DeprecatedSetting_IsNotSet(string setting)
    {
        Assert.DoesNotContain(setting, AppSettings.Azure().Keys);
    }

    [Fact]
    public void LocalSample_UsesAzuriteForEveryStorageConnection()
    {
        var local = AppSettings.LocalSample();
        foreach (var connection in new[] { SettingNames.DurableStorage, SettingNames.VoucherStorage, "AzureWebJobsStorage" })
        {
            Assert.Equal("UseDevelopmentStorage=true", local.GetValueOrDefault(connection));
        }
    }

    [Fact]
    public void IsPresent_AcceptsExactAndIdentityFormsOnly()
    {
        string[] names = ["DurableStorage__accountName", "TaskHubName", "Voucher__PublicBaseUrlX"];
        Assert.True(AppSettings.IsPresent(names, "DurableStorage"));
        Assert.True(AppSettings.IsPresent(names, "TaskHubName"));
        Assert.False(AppSettings.IsPresent(names, "Voucher__PublicBaseUrl"));
        Assert.False(AppSettings.IsPresent(names, "VoucherStorage"));
    }
}
