using Arq.Worker;

namespace Arq.Tests.Worker;

public sealed class RateLimitParseTests
{
    [Theory]
    [InlineData("10/s", 10, 1_000, "10/s")]
    [InlineData("100/min", 100, 60_000, "100/min")]
    [InlineData("5/10s", 5, 10_000, "5/10s")]
    [InlineData("1/250ms", 1, 250, "1/250ms")]
    [InlineData(" 3 / 2 hours ", 3, 7_200_000, "3/2h")]
    [InlineData("7/1.5s", 7, 1_500, "7/1500ms")]
    [InlineData("1000/day", 1000, 86_400_000, "1000/d")]
    public void A_rate_limit_reads_as_written_and_writes_back_as_it_reads(string text, int count, long periodMs, string written)
    {
        var limit = RateLimit.Parse(text);

        Assert.Equal(count, limit.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(periodMs), limit.Period);
        Assert.Equal(written, limit.ToString());
        Assert.Equal(limit, RateLimit.Parse(limit.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("0/s")]
    [InlineData("-1/s")]
    [InlineData("10/fortnight")]
    [InlineData("10/0s")]
    [InlineData("ten/s")]
    public void Text_that_is_not_a_rate_limit_is_refused_with_what_is_expected(string text)
    {
        Assert.False(RateLimit.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => RateLimit.Parse(text));
        Assert.Contains($"'{text}'", error.Message);
        Assert.Contains("10/s, 100/min", error.Message);
    }

    [Fact]
    public void A_limit_needs_a_positive_count_and_a_period_of_a_millisecond_or_more()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimit(0, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimit(1, TimeSpan.FromTicks(100)));
        Assert.Equal("3/s", new RateLimit(3, TimeSpan.FromSeconds(1)).ToString());
    }
}
