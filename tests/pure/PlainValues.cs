namespace Arq.Tests;

/// <summary>Deep equality of plain decoded values, with a path to the first difference.</summary>
public static class PlainValues
{
    public static void AssertEqual(object? expected, object? actual, string path = "$")
    {
        switch (expected)
        {
            case null:
                Assert.True(actual is null, $"{path}: expected nil, got {actual}");
                break;
            case byte[] bytes:
                Assert.True(actual is byte[] b && b.AsSpan().SequenceEqual(bytes), $"{path}: bytes differ");
                break;
            case object?[] items:
                var list = Assert.IsType<object?[]>(actual);
                Assert.True(items.Length == list.Length, $"{path}: {items.Length} items expected, {list.Length} found");
                for (var i = 0; i < items.Length; i++) AssertEqual(items[i], list[i], $"{path}[{i}]");
                break;
            case Dictionary<string, object?> map:
                var actualMap = Assert.IsType<Dictionary<object, object?>>(actual);
                Assert.Equal(map.Keys, actualMap.Keys.Cast<string>()); // same keys in the same order
                foreach (var (key, value) in map) AssertEqual(value, actualMap[key], $"{path}.{key}");
                break;
            case double d:
                Assert.True(actual is double a && a.Equals(d), $"{path}: expected {d}, got {actual}");
                break;
            default:
                Assert.True(Equals(expected, actual), $"{path}: expected {expected} ({expected.GetType().Name}), got {actual} ({actual?.GetType().Name})");
                break;
        }
    }
}
