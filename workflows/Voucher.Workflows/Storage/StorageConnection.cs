using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Voucher.Workflows.Configuration;

namespace Voucher.Workflows.Storage;

/// <summary>
/// A storage connection named by a setting prefix: a connection string locally (Azurite), or
/// identity-based service URIs in Azure (<c>Name__tableServiceUri</c>, <c>Name__credential</c>, <c>Name__clientId</c>).
/// </summary>
public sealed record StorageConnection(string? ConnectionString, Uri? TableUri, Uri? BlobUri, Uri? QueueUri, TokenCredential? Credential)
{
    public static StorageConnection FromConfiguration(IConfiguration configuration, string name)
    {
        var connectionString = VoucherSettings.Read(configuration, name);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageConnection(Expand(connectionString), null, null, null, null);
        }

        string? Part(string key) => VoucherSettings.Read(configuration, $"{name}__{key}");
        var account = Part("accountName");
        Uri? ServiceUri(string key, string service) =>
            Part(key) is { } uri ? new Uri(uri) : account is null ? null : new Uri($"https://{account}.{service}.core.windows.net");

        var table = ServiceUri("tableServiceUri", "table");
        var blob = ServiceUri("blobServiceUri", "blob");
        var queue = ServiceUri("queueServiceUri", "queue");
        if (table is null && blob is null && queue is null)
        {
            throw new InvalidOperationException(
                $"Storage connection '{name}' is not configured: set {name} (connection string) or {name}__accountName / {name}__tableServiceUri.");
        }

        var clientId = Part("clientId");
        TokenCredential credential = string.Equals(Part("credential"), "managedidentity", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(clientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
        return new StorageConnection(null, table, blob, queue, credential);
    }

    public static bool IsConfigured(IConfiguration configuration, string name) =>
        !string.IsNullOrWhiteSpace(VoucherSettings.Read(configuration, name))
        || VoucherSettings.Read(configuration, $"{name}__accountName") is not null
        || VoucherSettings.Read(configuration, $"{name}__tableServiceUri") is not null;

    /// <summary>The Azurite shortcut, made explicit so every SDK client accepts it.</summary>
    static string Expand(string connectionString) =>
        connectionString.Trim().Equals("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
            ? "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;"
            : connectionString;

    public TableServiceClient CreateTableServiceClient(TableClientOptions? options = null) =>
        ConnectionString is not null ? new TableServiceClient(ConnectionString, options) : new TableServiceClient(TableUri!, Credential!, options);

    public BlobServiceClient CreateBlobServiceClient(BlobClientOptions? options = null) =>
        ConnectionString is not null ? new BlobServiceClient(ConnectionString, options) : new BlobServiceClient(BlobUri!, Credential!, options);

    public QueueServiceClient CreateQueueServiceClient(QueueClientOptions? options = null) =>
        ConnectionString is not null ? new QueueServiceClient(ConnectionString, options) : new QueueServiceClient(QueueUri!, Credential!, options);
}
