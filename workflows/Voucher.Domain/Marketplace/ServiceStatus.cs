using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>Whether a catalogue service takes orders; stored and shown lowercase.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ServiceStatus>))]
public enum ServiceStatus
{
    /// <summary>In the catalogue and its search (when its institution is verified).</summary>
    [JsonStringEnumMemberName("published")]
    Published,

    /// <summary>Out of the search for a while; the institution can resume it.</summary>
    [JsonStringEnumMemberName("paused")]
    Paused,

    /// <summary>Withdrawn for good: no edits, no resuming.</summary>
    [JsonStringEnumMemberName("retired")]
    Retired,
}

/// <summary>The service state machine: Published ⇄ Paused; either → Retired, which is final.</summary>
public static class ServiceTransitions
{
    static readonly Dictionary<ServiceStatus, ServiceStatus[]> Allowed = new()
    {
        [ServiceStatus.Published] = [ServiceStatus.Paused, ServiceStatus.Retired],
        [ServiceStatus.Paused] = [ServiceStatus.Published, ServiceStatus.Retired],
    };

    public static bool IsAllowed(ServiceStatus from, ServiceStatus to) =>
        Allowed.TryGetValue(from, out var targets) && Array.IndexOf(targets, to) >= 0;

    /// <summary>Throws <see cref="DomainException"/> naming both states when the move is not allowed.</summary>
    public static void Ensure(ServiceStatus from, ServiceStatus to)
    {
        if (!IsAllowed(from, to))
        {
            throw new DomainException($"服务状态不能从 {from} 变更为 {to} (Service cannot move from {from} to {to})");
        }
    }

    /// <summary>A retired service keeps its last content: no edits.</summary>
    public static bool IsFinal(ServiceStatus s) => s == ServiceStatus.Retired;
}
