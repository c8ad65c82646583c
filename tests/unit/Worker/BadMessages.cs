using System.Buffers;
using MessagePack;

namespace Arq.Tests.Worker;

/// <summary>
/// A catalogue of the bad messages a queue can hold, written byte by byte, each with the error a worker must record
/// for it. The Calculator actor's functions are the good ones they pretend to call.
/// </summary>
public static class BadMessages
{
    private delegate void Write(ref MessagePackWriter writer);

    /// <summary>A job map written by hand: each entry a key and a writer for its value.</summary>
    private static byte[] JobMap(params (string Key, Write Value)[] fields)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(fields.Length);
        foreach (var (key, value) in fields)
        {
            writer.Write(key);
            value(ref writer);
        }
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static readonly Write Now = (ref MessagePackWriter w) => w.Write(1_795_950_000_000L);
    private static readonly Write NoKwargs = (ref MessagePackWriter w) => w.WriteMapHeader(0);
    private static Write Text(string s) => (ref MessagePackWriter w) => w.Write(s);
    private static Write Raw(params byte[] bytes) => (ref MessagePackWriter w) => w.WriteRaw(bytes);
    private static Write Args(params Write[] items) => (ref MessagePackWriter w) =>
    {
        w.WriteArrayHeader(items.Length);
        foreach (var item in items) item(ref w);
    };

    private static byte[] Job(string function, Write args, Write? kwargs = null) =>
        JobMap(("t", Raw(0xc0)), ("f", Text(function)), ("a", args), ("k", kwargs ?? NoKwargs), ("et", Now));

    /// <summary>A good job for Calculator.Add(1, 2) whose enqueue time is <paramref name="enqueueTimeMs"/>.</summary>
    public static byte[] AddJobEnqueuedAt(long enqueueTimeMs) =>
        JobMap(("t", Raw(0xc0)), ("f", Text("Calculator.Add")), ("a", Args(Raw(0x01), Raw(0x02))), ("k", NoKwargs),
            ("et", (ref MessagePackWriter w) => w.Write(enqueueTimeMs)));

    /// <summary>The worker's size limit the catalogue assumes (<see cref="Arq.Worker.ArqWorkerOptions.MaxJobBytes"/>).</summary>
    public const long MaxJobBytes = 100_000;

    private static readonly byte[] Oversized = Job("Calculator.Greet", Args(Text(new string('x', 150_000))));

    /// <summary>Each kind: a name, the job key's bytes, and the error its failed result must hold.</summary>
    public static readonly IReadOnlyList<(string Kind, byte[] Bytes, string Error)> Kinds =
    [
        ("random bytes", [0xc1, 0x17, 0xfe, 0x00], "InvalidJob: Not a valid arq job: expected a map, found Unknown."),
        ("truncated map", Job("Calculator.Add", Args(Raw(1), Raw(2)))[..^3], "InvalidJob: Not a valid arq job: the data ends too early."),
        ("not a map", [0x92, 0x01, 0x02], "InvalidJob: Not a valid arq job: expected a map, found Array."),
        ("missing function", JobMap(("a", Args()), ("k", NoKwargs), ("et", Now)), "InvalidJob: Not a valid arq job: the field 'f' is missing."),
        ("missing enqueue time", JobMap(("f", Text("Calculator.Add")), ("a", Args()), ("k", NoKwargs)), "InvalidJob: Not a valid arq job: the field 'et' is missing."),
        ("function of the wrong type", JobMap(("f", Raw(0x2a)), ("a", Args()), ("k", NoKwargs), ("et", Now)), "InvalidJob: Not a valid arq job: the field 'f' must be a string, but is Integer."),
        ("arguments of the wrong type", JobMap(("f", Text("Calculator.Add")), ("a", Text("1, 2")), ("k", NoKwargs), ("et", Now)), "InvalidJob: Not a valid arq job: the field 'a' must be an array, but is String."),
        ("non-string map key", [0x81, 0x01, 0xa1, 0x66], "InvalidJob: Not a valid arq job: a key of its map is Integer, not a string."),
        ("non-string keyword name", Job("Calculator.Add", Args(), Raw(0x81, 0x01, 0x02)), "InvalidJob: Not a valid arq job: a keyword argument name is Integer, not a string."),
        ("invalid UTF-8 in the function name", JobMap(("f", Raw(0xa2, 0xff, 0xfe)), ("a", Args()), ("k", NoKwargs), ("et", Now)), "InvalidJob: Not a valid arq job: a string is not valid UTF-8 (at byte 0)."),
        ("oversized job", Oversized, $"JobTooLarge: the job is {Oversized.Length} bytes, more than the worker's limit of {MaxJobBytes} (MaxJobBytes)"),
        ("unknown function", Job("Nobody.Home", Args()), "FunctionNotFound: function 'Nobody.Home' not found"),
        ("a .NET method as the function", Job("System.IO.File.Delete", Args(Text("/etc/passwd"))), "FunctionNotFound: function 'System.IO.File.Delete' not found"),
        ("a typed object as an argument", Job("Calculator.Kind", Args(Raw(0xc7, 0x03, 0x64, 0x61, 0x62, 0x63))), "ArgumentBindingError: Calculator.Kind: the argument 'value' is not valid: MessagePack extension type 100 is not supported; only the timestamp extension (-1) is."),
        ("arguments that do not bind", Job("Calculator.Add", Args(Text("one"), Raw(2))), "ArgumentBindingError: Calculator.Add: the argument 'a' expects Int64, but the job has String \"one\"."),
        ("too many arguments", Job("Calculator.Add", Args(Raw(1), Raw(2), Raw(3))), "ArgumentBindingError: Calculator.Add takes 2 argument(s) but the job has 3 positional ones."),
        ("invalid UTF-8 in an argument", Job("Calculator.Greet", Args(Raw(0xa2, 0xff, 0xfe))), "ArgumentBindingError: Calculator.Greet: the argument 'name' is not valid: A string is not valid UTF-8 (at byte 0)."),
        ("unknown extension in an argument", Job("Calculator.Kind", Args(Raw(0xd4, 0x05, 0x00))), "ArgumentBindingError: Calculator.Kind: the argument 'value' is not valid: MessagePack extension type 5 is not supported; only the timestamp extension (-1) is."),
        ("nil key in an argument map", Job("Calculator.Kind", Args(Raw(0x81, 0xc0, 0x01))), "ArgumentBindingError: Calculator.Kind: the argument 'value' is not valid: A map key is nil."),
        ("non-string key in an argument map", Job("Calculator.Sum", Args(Args(Raw(1)), Raw(0x81, 0x01, 0x02))), "ArgumentBindingError: Calculator.Sum: the argument 'extra' expects Dictionary<String, Int32>, but the job has Map {\"1\":2}."),
        ("too deeply nested argument", Job("Calculator.Kind", Args(Raw([.. Enumerable.Repeat((byte)0x91, 600), 0x01]))), "ArgumentBindingError: Calculator.Kind: the argument 'value' is not valid: A value nests deeper than 512 levels, the most Arq takes (ArqMessagePack.MaxDepth)."),
    ];
}
