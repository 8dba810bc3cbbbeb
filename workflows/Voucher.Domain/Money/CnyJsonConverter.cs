using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Voucher.Domain;

/// <summary>Writes <see cref="Cny"/> as a JSON string ("50000.00"); reads a string or a number of yuan.</summary>
public sealed class CnyJsonConverter : JsonConverter<Cny>
{
    public override Cny Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        decimal yuan;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (!reader.TryGetDecimal(out yuan))
                {
                    throw new JsonException("金额不是有效的数字 (Amount is not a valid number)");
                }
                break;
            case JsonTokenType.String:
                var text = reader.GetString();
                if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                        CultureInfo.InvariantCulture, out yuan))
                {
                    throw new JsonException($"金额格式错误：\"{text}\" (Amount is not a valid number: \"{text}\")");
                }
                break;
            default:
                throw new JsonException($"金额必须是字符串或数字 (Amount must be a string or a number, got {reader.TokenType})");
        }

        try
        {
            return Cny.FromYuan(yuan);
        }
        catch (DomainException ex)
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, Cny value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToInvariantString());
}
