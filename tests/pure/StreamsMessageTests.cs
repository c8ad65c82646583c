using Arq.Protocol;

namespace Arq.Tests;

/// <summary>A job's streams as Arq keeps them beside its result.</summary>
public sealed class StreamsMessageTests
{
    [Fact]
    public void Every_field_of_every_record_survives_the_round_trip()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_123);
        JobStreamRecord[] records =
        [
            new(JobStream.Warning, "disk almost full", at),
            new(JobStream.Information, "step 1", at.AddSeconds(1)) { Tags = ["progress", "PSHOST"] },
            new(JobStream.Error, "not found: a.txt", at.AddSeconds(2))
            {
                Error = new JobStreamError
                {
                    ErrorId = "PathNotFound,Get-Item", Category = "ObjectNotFound", Activity = "Get-Item", TargetName = "a.txt", TargetType = "String",
                    ExceptionType = "System.Management.Automation.ItemNotFoundException", ScriptStackTrace = "at <ScriptBlock>, a.ps1: line 3",
                    Position = "At a.ps1:3 char:1", Terminating = true,
                },
            },
        ];

        var decoded = StreamsMessage.Decode(StreamsMessage.Encode(new JobStreams(records, 42)));

        Assert.Equal(42, decoded.Dropped);
        Assert.Equal(records.Length, decoded.Records.Count);
        for (var i = 0; i < records.Length; i++)
        {
            Assert.Equal(records[i] with { Tags = [] }, decoded.Records[i] with { Tags = [] });
            Assert.Equal(records[i].Tags, decoded.Records[i].Tags);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x93, 0x02, 0x00, 0x90 }, "not of version 1")]
    [InlineData(new byte[] { 0x93, 0x01, 0x00, 0x91, 0x95, 0x09, 0xa1, 0x61, 0x00, 0x90, 0xc0 }, "names no stream (9)")]
    [InlineData(new byte[] { 0x93, 0x01, 0x00, 0x91, 0x95, 0x00, 0xa1, 0x61, 0x00, 0x90, 0x91, 0xc0 }, "error of record 0 of the job streams has too few fields")]
    [InlineData(new byte[] { 0x93, 0x01, 0x00, 0x91 }, "are not valid")]
    public void Bytes_that_are_not_streams_are_refused_saying_why(byte[] bytes, string reason)
    {
        var error = Assert.Throws<ArqProtocolException>(() => StreamsMessage.Decode(bytes));

        Assert.Contains(reason, error.Message);
    }
}
