using Arq.Protocol;
using Arq.Worker;

namespace Arq.Tests.Worker;

/// <summary>Dates travel as the MessagePack timestamp extension, the encoding Python's msgpack reads as datetime.</summary>
public sealed class DateTests : WorkerTest
{
    // 2026-11-29T10:00:00.25Z: seconds 1795946400, nanoseconds 250,000,000, so MessagePack's "timestamp 64":
    // 0xd7 0xff, then nanoseconds << 34 | seconds as a big-endian 64-bit integer.
    private static readonly DateTimeOffset Instant = new(2026, 11, 29, 12, 0, 0, 250, TimeSpan.FromHours(2));

    private static byte[] Timestamp64(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks - DateTime.UnixEpoch.Ticks;
        var value = ((ulong)(ticks % TimeSpan.TicksPerSecond * 100) << 34) | (ulong)(ticks / TimeSpan.TicksPerSecond);
        return [0xd7, 0xff, .. BitConverter.GetBytes(value).Reverse()];
    }

    [Fact]
    public void DateTimeOffset_and_DateTime_encode_as_the_timestamp_extension_and_keep_their_instant()
    {
        var expected = Timestamp64(Instant);

        Assert.Equal(expected, PackedValue.From(Instant).Bytes.ToArray());
        Assert.Equal(expected, PackedValue.From<object?>(Instant).Bytes.ToArray());
        Assert.Equal(expected, PackedValue.From(Instant.UtcDateTime).Bytes.ToArray());
        Assert.Equal(expected, PackedValue.From(Instant.LocalDateTime).Bytes.ToArray());
        Assert.Equal(Instant, new PackedValue(expected).Deserialize<DateTimeOffset>());
        Assert.Equal(TimeSpan.Zero, new PackedValue(expected).Deserialize<DateTimeOffset>().Offset);
        Assert.Equal(Instant.UtcDateTime, new PackedValue(expected).ToObject());
        Assert.Equal(DateTimeKind.Utc, ((DateTime)new PackedValue(expected).ToObject()!).Kind);
    }

    [Fact]
    public void A_value_that_is_not_a_timestamp_fails_to_bind_to_a_date_with_a_clear_error()
    {
        var error = Assert.ThrowsAny<MessagePack.MessagePackSerializationException>(() => PackedValue.From("tomorrow").Deserialize<DateTimeOffset>());

        Assert.Contains("Expected a date (the MessagePack timestamp extension) but found String", (error.InnerException ?? error).Message);
    }

    [Fact]
    public async Task A_DateTimeOffset_argument_round_trips_through_a_job_with_its_instant_intact()
    {
        Functions.Add("later", (DateTimeOffset when, double hours) => when.AddHours(hours));
        var job = (await Client.EnqueueAsync("later", Instant, 1.0))!;

        var stored = JobMessage.Decode((byte[])(await Redis.StringGetAsync(ArqKeys.Job(job.Id)))!);
        Assert.Equal(Timestamp64(Instant), stored.Args[0].Bytes.ToArray());

        await RunBurstAsync();

        var result = await job.GetResultAsync<DateTimeOffset>();
        Assert.Equal(Instant.AddHours(1), result);
        Assert.Equal(Timestamp64(Instant.AddHours(1)), (await StoredResultAsync(job.Id)).Result.Bytes.ToArray());
    }
}
