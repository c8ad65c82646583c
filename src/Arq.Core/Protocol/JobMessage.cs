using System.Buffers;
using MessagePack;

namespace Arq.Protocol;

/// <summary>
/// The value of <c>arq:job:&lt;id&gt;</c> (docs/protocol.md §3): a 5-entry map t, f, a, k, et, encoded exactly as
/// Python arq 0.26 with the msgpack serializer writes it.
/// </summary>
/// <param name="Function">The job function's registered name.</param>
/// <param name="Args">Positional arguments, still encoded.</param>
/// <param name="Kwargs">Keyword arguments by name, still encoded, in their order.</param>
/// <param name="EnqueueTimeMs">Unix milliseconds when the job was enqueued.</param>
/// <param name="Try">The try number forced at enqueue (arq's <c>_job_try</c>); null normally.</param>
/// <param name="TraceParent">Arq's addition: the W3C trace context of the enqueue, written as a sixth key <c>tp</c>
/// only when there is one (arq reads the five keys it knows and ignores the rest).</param>
/// <param name="After">Arq's addition: the jobs this one runs after (a continuation), written as <c>af</c> only when
/// there are some.</param>
/// <param name="AfterAnyOutcome">Arq's addition: a continuation runs whether its parents succeeded or not, written
/// as <c>ao</c> only when true.</param>
internal sealed record JobMessage(
    string Function,
    IReadOnlyList<PackedValue> Args,
    IReadOnlyDictionary<string, PackedValue> Kwargs,
    long EnqueueTimeMs,
    long? Try = null,
    string? TraceParent = null,
    IReadOnlyList<string>? After = null,
    bool AfterAnyOutcome = false)
{
    private const string What = "job";

    /// <summary>Encodes the job as arq does, keys in arq's order.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new MessagePackWriter(buffer);
        var after = After is { Count: > 0 };
        writer.WriteMapHeader(5 + (TraceParent is null ? 0 : 1) + (after ? 1 : 0) + (AfterAnyOutcome ? 1 : 0));
        MessageFields.WriteJobFields(ref writer, Try, Function, Args, Kwargs, EnqueueTimeMs);
        if (TraceParent is not null)
        {
            writer.Write("tp");
            writer.Write(TraceParent);
        }
        if (after)
        {
            writer.Write("af");
            writer.WriteArrayHeader(After!.Count);
            foreach (var parent in After) writer.Write(parent);
        }
        if (AfterAnyOutcome)
        {
            writer.Write("ao");
            writer.Write(true);
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a job; the arguments stay encoded.</summary>
    /// <exception cref="ArqProtocolException">The bytes are not a valid job; the message says why.</exception>
    public static JobMessage Decode(ReadOnlyMemory<byte> bytes)
    {
        var fields = MessageFields.Read(bytes, What);
        return new JobMessage(
            MessageFields.Require(fields.Function, What, "f"),
            MessageFields.Require(fields.Args, What, "a"),
            MessageFields.Require(fields.Kwargs, What, "k"),
            MessageFields.Require(fields.EnqueueTime, What, "et"),
            fields.Try,
            fields.TraceParent,
            fields.After,
            fields.AfterAnyOutcome);
    }
}
