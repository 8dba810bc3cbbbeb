using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure.Data.Tables;

namespace Voucher.Workflows.Backups;

/// <summary>
/// One table row as one line of an export: the keys and every property with its EDM type, so that a restore writes the
/// same values with the same types. Example:
/// <code>{"PartitionKey":"taiyuan-2026","RowKey":"a1","Properties":[{"Name":"Amount","Type":"Edm.Int64","Value":"5000000"}]}</code>
/// Values are strings where JSON numbers would lose precision or meaning (Int64, Double with NaN/Infinity, DateTime with
/// its 100-ns ticks, Guid, Binary as base64); Int32 is a number, Boolean true/false, String a string. The server's
/// <c>Timestamp</c> and ETag are not exported: the service assigns new ones on restore.
/// </summary>
public static class BackupRow
{
    static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    /// <summary>Writes <paramref name="row"/> as one JSON object (no line break) into <paramref name="buffer"/>.</summary>
    public static void Write(TableEntity row, IBufferWriter<byte> buffer)
    {
        using var json = new Utf8JsonWriter(buffer, WriterOptions);
        json.WriteStartObject();
        json.WriteString("PartitionKey", row.PartitionKey);
        json.WriteString("RowKey", row.RowKey);
        json.WriteStartArray("Properties");
        foreach (var (name, value) in row.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (value is null || IsSystemProperty(name))
            {
                continue;
            }

            json.WriteStartObject();
            json.WriteString("Name", name);
            switch (value)
            {
                case string s:
                    json.WriteString("Type", "Edm.String");
                    json.WriteString("Value", s);
                    break;
                case bool b:
                    json.WriteString("Type", "Edm.Boolean");
                    json.WriteBoolean("Value", b);
                    break;
                case int i:
                    json.WriteString("Type", "Edm.Int32");
                    json.WriteNumber("Value", i);
                    break;
                case long l:
                    json.WriteString("Type", "Edm.Int64");
                    json.WriteString("Value", l.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    json.WriteString("Type", "Edm.Double");
                    json.WriteString("Value", d.ToString("R", CultureInfo.InvariantCulture));
                    break;
                case DateTimeOffset t:
                    json.WriteString("Type", "Edm.DateTime");
                    json.WriteString("Value", t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                    break;
                case DateTime t:
                    json.WriteString("Type", "Edm.DateTime");
                    json.WriteString("Value", t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
                    break;
                case Guid g:
                    json.WriteString("Type", "Edm.Guid");
                    json.WriteString("Value", g.ToString("D"));
                    break;
                case byte[] bytes:
                    json.WriteString("Type", "Edm.Binary");
                    json.WriteBase64String("Value", bytes);
                    break;
                case BinaryData data:
                    json.WriteString("Type", "Edm.Binary");
                    json.WriteBase64String("Value", data.ToMemory().Span);
                    break;
                default:
                    throw new BackupException($"Row {row.PartitionKey}/{row.RowKey}: property {name} has a type the export does not know ({value.GetType().Name}).");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Reads one line written by <see cref="Write"/> back into an entity with the same keys, values and types.</summary>
    public static TableEntity Read(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var row = new TableEntity(root.GetProperty("PartitionKey").GetString()!, root.GetProperty("RowKey").GetString()!);
        foreach (var property in root.GetProperty("Properties").EnumerateArray())
        {
            var name = property.GetProperty("Name").GetString()!;
            var type = property.GetProperty("Type").GetString();
            var value = property.GetProperty("Value");
            row[name] = type switch
            {
                "Edm.String" => value.GetString(),
                "Edm.Boolean" => value.GetBoolean(),
                "Edm.Int32" => value.GetInt32(),
                "Edm.Int64" => long.Parse(value.GetString()!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                "Edm.Double" => double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
                "Edm.DateTime" => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                "Edm.Guid" => Guid.ParseExact(value.GetString()!, "D"),
                "Edm.Binary" => value.GetBytesFromBase64(),
                _ => throw new BackupException($"Row {row.PartitionKey}/{row.RowKey}: property {name} has an unknown type '{type}'."),
            };
        }

        return row;
    }

    /// <summary>Keys and the service's own properties: not part of a row's exported properties.</summary>
    public static bool IsSystemProperty(string name) =>
        name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag";
}
