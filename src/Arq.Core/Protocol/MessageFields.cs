using System.Text;
using MessagePack;

namespace Arq.Protocol;

/// <summary>
/// Reads and writes the fields that job and result maps share (docs/protocol.md §3). Reading accepts any key order,
/// skips keys it does not know, and names the field and the problem when a value is of the wrong type.
/// Arguments stay encoded (<see cref="PackedValue"/>) so they decode later into their parameters' types.
/// </summary>
internal sealed class MessageFields
{

    public long? Try;
    public bool TryIsNil;
    public string? Function;
    public PackedValue[]? Args;
    public Dictionary<string, PackedValue>? Kwargs;
    public long? EnqueueTime;
    public bool? Success;
    public PackedValue? Result;
    public long? StartTime;
    public long? FinishTime;
    public string? Queue;
    public string? JobId;
    public string? TraceParent;
    public string[]? After;
    public bool AfterAnyOutcome;

    public static MessageFields Read(ReadOnlyMemory<byte> bytes, string what)
    {
        try
        {
            var reader = new MessagePackReader(bytes);
            var fields = ReadMap(ref reader, what);
            if (!reader.End)
                throw new ArqProtocolException($"Not a valid arq {what}: {bytes.Length - reader.Consumed} bytes follow the map.");
            return fields;
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or ArqDataException or OverflowException)
        {
            throw new ArqProtocolException($"Not a valid arq {what}: {Describe(e)}", e);
        }
    }

    private static MessageFields ReadMap(ref MessagePackReader reader, string what)
    {
        if (reader.NextMessagePackType != MessagePackType.Map)
            throw new ArqProtocolException($"Not a valid arq {what}: expected a map, found {reader.NextMessagePackType}.");
        var fields = new MessageFields();
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            var key = reader.NextMessagePackType == MessagePackType.String
                ? ReadStrictString(ref reader)
                : throw new ArqProtocolException($"Not a valid arq {what}: a key of its map is {reader.NextMessagePackType}, not a string.");
            var field = new Field(what, key);
            switch (key)
            {
                case "t":
                    if (reader.TryReadNil()) fields.TryIsNil = true;
                    else fields.Try = field.Integer(ref reader);
                    break;
                case "f": fields.Function = field.String(ref reader); break;
                case "a": fields.Args = field.Array(ref reader); break;
                case "k": fields.Kwargs = field.Kwargs(ref reader); break;
                case "et": fields.EnqueueTime = field.Integer(ref reader); break;
                case "s": fields.Success = field.Boolean(ref reader); break;
                case "r": fields.Result = PackedValue.Read(ref reader); break;
                case "st": fields.StartTime = field.Integer(ref reader); break;
                case "ft": fields.FinishTime = field.Integer(ref reader); break;
                case "q": fields.Queue = reader.TryReadNil() ? null : field.String(ref reader); break;
                case "id": fields.JobId = reader.TryReadNil() ? null : field.String(ref reader); break;
                case "tp": fields.TraceParent = reader.TryReadNil() ? null : field.String(ref reader); break;
                case "af": fields.After = field.Strings(ref reader); break;
                case "ao": fields.AfterAnyOutcome = field.Boolean(ref reader); break;
                default: reader.Skip(); break;
            }
        }
        return fields;
    }

    /// <summary>Writes t, f, a, k and et in arq's order.</summary>
    public static void WriteJobFields(ref MessagePackWriter writer, long? @try, string function,
        IReadOnlyList<PackedValue> args, IReadOnlyDictionary<string, PackedValue> kwargs, long enqueueTime)
    {
        writer.Write("t");
        if (@try is { } t) writer.Write(t); else writer.WriteNil();
        writer.Write("f");
        writer.Write(function);
        writer.Write("a");
        writer.WriteArrayHeader(args.Count);
        foreach (var arg in args) writer.WriteRaw(arg.Bytes.Span);
        writer.Write("k");
        writer.WriteMapHeader(kwargs.Count);
        foreach (var (name, value) in kwargs)
        {
            writer.Write(name);
            writer.WriteRaw(value.Bytes.Span);
        }
        writer.Write("et");
        writer.Write(enqueueTime);
    }

    public static T Require<T>(T? value, string what, string key) where T : class =>
        value ?? throw new ArqProtocolException($"Not a valid arq {what}: the field '{key}' is missing.");

    public static T Require<T>(T? value, string what, string key) where T : struct =>
        value ?? throw new ArqProtocolException($"Not a valid arq {what}: the field '{key}' is missing.");

    /// <summary>Strict UTF-8, read as the codec reads every string (<see cref="StrictStringFormatter"/>).</summary>
    private static string ReadStrictString(ref MessagePackReader reader) =>
        StrictStringFormatter.Read(ref reader) ?? throw new MessagePackSerializationException("a string is nil");

    private static string Describe(Exception e) => e switch
    {
        ArqDataException => char.ToLowerInvariant(e.Message[0]) + e.Message[1..],
        EndOfStreamException => "the data ends too early.",
        OverflowException => "an integer is out of range.",
        _ => e.Message,
    };

    /// <summary>Reads one field's value, with errors that name the field.</summary>
    private readonly record struct Field(string What, string Key)
    {
        private ArqProtocolException WrongType(ref MessagePackReader reader, string expected) =>
            new($"Not a valid arq {What}: the field '{Key}' must be {expected}, but is {reader.NextMessagePackType}.");

        public long Integer(ref MessagePackReader reader) => reader.NextMessagePackType == MessagePackType.Integer
            ? reader.ReadInt64()
            : throw WrongType(ref reader, "an integer");

        public bool Boolean(ref MessagePackReader reader) => reader.NextMessagePackType == MessagePackType.Boolean
            ? reader.ReadBoolean()
            : throw WrongType(ref reader, "a boolean");

        public string String(ref MessagePackReader reader) => reader.NextMessagePackType == MessagePackType.String
            ? ReadStrictString(ref reader)
            : throw WrongType(ref reader, "a string");

        public PackedValue[] Array(ref MessagePackReader reader)
        {
            if (reader.NextMessagePackType != MessagePackType.Array) throw WrongType(ref reader, "an array");
            var items = new PackedValue[reader.ReadArrayHeader()];
            for (var i = 0; i < items.Length; i++) items[i] = PackedValue.Read(ref reader);
            return items;
        }

        public string[] Strings(ref MessagePackReader reader)
        {
            if (reader.NextMessagePackType != MessagePackType.Array) throw WrongType(ref reader, "an array of strings");
            var items = new string[reader.ReadArrayHeader()];
            for (var i = 0; i < items.Length; i++) items[i] = String(ref reader);
            return items;
        }

        public Dictionary<string, PackedValue> Kwargs(ref MessagePackReader reader)
        {
            if (reader.NextMessagePackType != MessagePackType.Map) throw WrongType(ref reader, "a map");
            var count = reader.ReadMapHeader();
            var kwargs = new Dictionary<string, PackedValue>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                if (reader.NextMessagePackType != MessagePackType.String)
                    throw new ArqProtocolException($"Not a valid arq {What}: a keyword argument name is {reader.NextMessagePackType}, not a string.");
                var name = ReadStrictString(ref reader);
                if (!kwargs.TryAdd(name, PackedValue.Read(ref reader)))
                    throw new ArqProtocolException($"Not a valid arq {What}: the keyword argument '{name}' appears twice.");
            }
            return kwargs;
        }
    }
}
