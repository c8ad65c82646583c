using System.Buffers;
using MessagePack;

namespace Arq.Protocol;

/// <summary>
/// The value of <c>arq:result:&lt;id&gt;</c> (docs/protocol.md §3): an 11-entry map t, f, a, k, et, s, r, st, ft, q, id,
/// encoded exactly as Python arq 0.26 with the msgpack serializer writes it.
/// </summary>
/// <param name="Try">The try number that produced this result.</param>
/// <param name="Function">The job function's name.</param>
/// <param name="Args">Positional arguments, copied from the job.</param>
/// <param name="Kwargs">Keyword arguments, copied from the job.</param>
/// <param name="EnqueueTimeMs">Unix milliseconds when the job was enqueued.</param>
/// <param name="Success">Whether the job succeeded.</param>
/// <param name="Result">The return value, or on failure a description of the error.</param>
/// <param name="StartTimeMs">Unix milliseconds when the try started.</param>
/// <param name="FinishTimeMs">Unix milliseconds when the try finished.</param>
/// <param name="Queue">The queue the job ran from (optional for Python readers).</param>
/// <param name="JobId">The job id (optional for Python readers).</param>
internal sealed record ResultMessage(
    long Try,
    string Function,
    IReadOnlyList<PackedValue> Args,
    IReadOnlyDictionary<string, PackedValue> Kwargs,
    long EnqueueTimeMs,
    bool Success,
    PackedValue Result,
    long StartTimeMs,
    long FinishTimeMs,
    string? Queue,
    string? JobId)
{
    private const string What = "result";

    /// <summary>Encodes the result as arq does, keys in arq's order.</summary>
    public byte[] Encode()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(11);
        MessageFields.WriteJobFields(ref writer, Try, Function, Args, Kwargs, EnqueueTimeMs);
        writer.Write("s");
        writer.Write(Success);
        writer.Write("r");
        writer.WriteRaw(Result.Bytes.Span);
        writer.Write("st");
        writer.Write(StartTimeMs);
        writer.Write("ft");
        writer.Write(FinishTimeMs);
        writer.Write("q");
        WriteOptional(ref writer, Queue);
        writer.Write("id");
        WriteOptional(ref writer, JobId);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a result; arguments and the return value stay encoded.</summary>
    /// <exception cref="ArqProtocolException">The bytes are not a valid result; the message says why.</exception>
    public static ResultMessage Decode(ReadOnlyMemory<byte> bytes)
    {
        var fields = MessageFields.Read(bytes, What);
        return new ResultMessage(
            MessageFields.Require(fields.Try, What, "t"),
            MessageFields.Require(fields.Function, What, "f"),
            MessageFields.Require(fields.Args, What, "a"),
            MessageFields.Require(fields.Kwargs, What, "k"),
            MessageFields.Require(fields.EnqueueTime, What, "et"),
            MessageFields.Require(fields.Success, What, "s"),
            MessageFields.Require(fields.Result, What, "r"),
            MessageFields.Require(fields.StartTime, What, "st"),
            MessageFields.Require(fields.FinishTime, What, "ft"),
            fields.Queue,
            fields.JobId);
    }

    private static void WriteOptional(ref MessagePackWriter writer, string? value)
    {
        if (value is null) writer.WriteNil(); else writer.Write(value);
    }
}
