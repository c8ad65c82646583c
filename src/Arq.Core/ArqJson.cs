using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Arq;

/// <summary>The JSON of the small records Arq keeps beside the protocol's keys (a cron job's next run, a worker's
/// record), compiled by System.Text.Json's source generator so that trimmed and Native AOT workers write them too. A record another version wrote in a shape this one cannot read is skipped, not fatal.</summary>
internal static class ArqJson
{
    public static string Serialize<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    public static T? TryDeserialize<T>(string json, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException)
        {
            return null; // not ours to judge: another version wrote it
        }
    }
}

/// <summary>The records in Redis, in the web's conventions (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(WorkerInfo))]
[JsonSerializable(typeof(CronJobInfo))]
internal sealed partial class ArqJsonContext : JsonSerializerContext;
