using System.Text.Json;

namespace Arq;

/// <summary>The JSON of the small records Arq keeps beside the protocol's keys (a cron job's next run, a worker's
/// record): web conventions, and a record another version wrote in a shape this one cannot read is skipped, not fatal.</summary>
internal static class ArqJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? TryDeserialize<T>(string json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            return null; // not ours to judge: another version wrote it
        }
    }
}
