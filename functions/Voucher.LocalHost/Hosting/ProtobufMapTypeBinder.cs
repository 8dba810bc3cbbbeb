using DurableTask.AzureStorage;

namespace Voucher.LocalHost.Hosting;

/// <summary>
/// The gRPC sidecar hands sub-orchestration starts to the Azure Storage provider with their tags still in a
/// protobuf <c>MapField</c>; the provider's queue messages carry .NET type names, and the type cannot be loaded
/// back. Messages name that map as a plain <see cref="Dictionary{TKey, TValue}"/> instead (same JSON shape),
/// and old messages that already carry the protobuf name read back as one.
/// </summary>
public sealed class ProtobufMapTypeBinder : ICustomTypeBinder
{
    const string ProtobufMap = "Google.Protobuf.Collections.MapField`2";

    static readonly Type Replacement = typeof(Dictionary<string, string>);

    public void BindToName(Type serializedType, out string assemblyName, out string typeName)
    {
        assemblyName = null!;
        typeName = IsProtobufMap(serializedType.FullName) ? Replacement.FullName! : serializedType.FullName!;
    }

    public Type BindToType(string assemblyName, string typeName) =>
        IsProtobufMap(typeName) ? Replacement : null!;

    static bool IsProtobufMap(string? typeName) => typeName is not null && typeName.StartsWith(ProtobufMap, StringComparison.Ordinal);
}
