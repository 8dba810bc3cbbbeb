using System.Text.Json;
using Voucher.Infra.Tests.Support;
using Voucher.Workflows.Backups;
using Voucher.Workflows.Configuration;

namespace Voucher.Infra.Tests;

/// <summary>
/// The daily table exports land in a container the app's code names (<see cref="BackupStore.DefaultContainer"/>) of the data
/// account, made write-once by a time-based immutability policy whose period is the same parameter the app's retention
/// setting gets.
/// </summary>
public sealed class BackupContainerTests
{
    static readonly ArmTemplate Template = ArmTemplate.Main;

    [Fact]
    public void BackupContainer_IsTheAppsContainer_InTheDataAccount_Private()
    {
        var container = BackupContainer();
        Assert.Equal("None", container.Properties.RequiredString("publicAccess"));
        Assert.Equal(BackupStore.DefaultContainer, container.ParameterDefault("backupContainerName")?.GetString());
    }

    [Fact]
    public void BackupContainer_HasATimeBasedImmutabilityPolicy_OfTheRetentionDays()
    {
        var policy = Template.Single("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies", "data-storage");
        Assert.Equal("[format('{0}/{1}/{2}/{3}', parameters('name'), 'default', parameters('backupContainerName'), 'default')]", policy.Name);
        Assert.Equal("[parameters('backupRetentionDays')]", policy.Properties.RequiredString("immutabilityPeriodSinceCreationInDays"));
        // No appends to protected blobs: an export is written once (block blobs) and never changes.
        Assert.False(policy.Properties.RequiredBool("allowProtectedAppendWrites"));
        Assert.False(policy.Properties.RequiredBool("allowProtectedAppendWritesAll"));
        Assert.True(policy.ParameterDefault("backupRetentionDays")?.GetInt32() >= 7, "a week of exports at least by default");
    }

    [Fact]
    public void RetentionSetting_AndImmutability_ComeFromTheOneMainParameter()
    {
        foreach (var module in new[] { "data-storage", "function-app" })
        {
            var deployment = Template.Single("Microsoft.Resources/deployments", "main", r => r.Name == module);
            Assert.Equal("[parameters('backupRetentionDays')]", deployment.Properties.RequiredString("parameters.backupRetentionDays.value"));
        }

        var defaultDays = Template.Root.Required("parameters.backupRetentionDays.defaultValue");
        Assert.Equal(JsonValueKind.Number, defaultDays.ValueKind);
        // The app setting, evaluated: the parameter's default where nothing is set, the combination's value where it is
        // (vnet.bicepparam keeps exports 90 days).
        Assert.Equal(defaultDays.GetRawText(), AppSettings.Azure()[SettingNames.BackupRetentionDays]);
        Assert.Equal("90", AppSettings.Azure("vnet")[SettingNames.BackupRetentionDays]);
    }

    static ArmResource BackupContainer() =>
        Template.Single("Microsoft.Storage/storageAccounts/blobServices/containers", "data-storage", r => r.Name.Contains("backupContainerName", StringComparison.Ordinal));
}
