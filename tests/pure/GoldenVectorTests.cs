using System.Text.Json;
using Arq.Protocol;

namespace Arq.Tests;

/// <summary>Every job and result that Python arq stored in the golden vectors, read and written byte for byte.</summary>
public sealed class GoldenVectorTests
{
    private static readonly Dictionary<string, GoldenVectors.StoredValue> ById =
        GoldenVectors.StoredValues().DistinctBy(v => v.ToString()).ToDictionary(v => v.ToString());

    public static TheoryData<string> Ids => new(ById.Keys);

    [Fact]
    public void The_vectors_hold_jobs_and_results()
    {
        Assert.True(ById.Values.Count(v => v.IsJob) >= 15, $"jobs found in {GoldenVectors.Folder}: {ById.Values.Count(v => v.IsJob)}");
        Assert.True(ById.Values.Count(v => !v.IsJob) >= 15, $"results found in {GoldenVectors.Folder}: {ById.Values.Count(v => !v.IsJob)}");
    }

    [Theory, MemberData(nameof(Ids))]
    public void Decodes_the_stored_bytes_as_plain_values(string id)
    {
        var value = ById[id];
        PlainValues.AssertEqual(GoldenVectors.ToClr(value.Decoded), new PackedValue(value.Bytes).ToObject());
    }

    [Theory, MemberData(nameof(Ids))]
    public void Decodes_the_stored_bytes_as_a_job_or_result(string id)
    {
        var value = ById[id];
        var expected = value.Decoded;
        if (value.IsJob)
        {
            var job = JobMessage.Decode(value.Bytes);
            AssertCommonFields(expected, job.Function, job.Args, job.Kwargs, job.EnqueueTimeMs);
            Assert.Equal(GoldenVectors.ToClr(expected.GetProperty("t")), job.Try);
        }
        else
        {
            var result = ResultMessage.Decode(value.Bytes);
            AssertCommonFields(expected, result.Function, result.Args, result.Kwargs, result.EnqueueTimeMs);
            Assert.Equal(expected.GetProperty("t").GetInt64(), result.Try);
            Assert.Equal(expected.GetProperty("s").GetBoolean(), result.Success);
            PlainValues.AssertEqual(GoldenVectors.ToClr(expected.GetProperty("r")), result.Result.ToObject());
            Assert.Equal(expected.GetProperty("st").GetInt64(), result.StartTimeMs);
            Assert.Equal(expected.GetProperty("ft").GetInt64(), result.FinishTimeMs);
            Assert.Equal(expected.GetProperty("q").GetString(), result.Queue);
            Assert.Equal(expected.GetProperty("id").GetString(), result.JobId);
        }
    }

    [Theory, MemberData(nameof(Ids))]
    public void Encodes_the_decoded_values_to_the_stored_bytes(string id)
    {
        var value = ById[id];
        var d = value.Decoded;
        var args = ((object?[])GoldenVectors.ToClr(d.GetProperty("a"))!).Select(PackedValue.From).ToArray();
        var kwargs = ((Dictionary<string, object?>)GoldenVectors.ToClr(d.GetProperty("k"))!)
            .ToDictionary(p => p.Key, p => PackedValue.From(p.Value));
        var function = d.GetProperty("f").GetString()!;
        var enqueueTime = d.GetProperty("et").GetInt64();
        var bytes = value.IsJob
            ? new JobMessage(function, args, kwargs, enqueueTime, (long?)GoldenVectors.ToClr(d.GetProperty("t"))).Encode()
            : new ResultMessage(d.GetProperty("t").GetInt64(), function, args, kwargs, enqueueTime,
                d.GetProperty("s").GetBoolean(), PackedValue.From(GoldenVectors.ToClr(d.GetProperty("r"))),
                d.GetProperty("st").GetInt64(), d.GetProperty("ft").GetInt64(),
                d.GetProperty("q").GetString(), d.GetProperty("id").GetString()).Encode();
        Assert.Equal(Convert.ToHexString(value.Bytes), Convert.ToHexString(bytes));
    }

    private static void AssertCommonFields(JsonElement expected, string function, IReadOnlyList<PackedValue> args,
        IReadOnlyDictionary<string, PackedValue> kwargs, long enqueueTime)
    {
        Assert.Equal(expected.GetProperty("f").GetString(), function);
        PlainValues.AssertEqual(GoldenVectors.ToClr(expected.GetProperty("a")), args.Select(a => a.ToObject()).ToArray());
        var expectedKwargs = (Dictionary<string, object?>)GoldenVectors.ToClr(expected.GetProperty("k"))!;
        Assert.Equal(expectedKwargs.Keys, kwargs.Keys);
        foreach (var (name, packed) in kwargs) PlainValues.AssertEqual(expectedKwargs[name], packed.ToObject(), $"k.{name}");
        Assert.Equal(expected.GetProperty("et").GetInt64(), enqueueTime);
    }
}
