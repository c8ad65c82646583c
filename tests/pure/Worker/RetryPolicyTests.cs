using Arq.Worker;

namespace Arq.Tests.Worker;

/// <summary>Retry policies: the delays they compute, by themselves (the scores a worker leaves by them are in the
/// integration suite's RetryPolicyWorkerTests).</summary>
public sealed class RetryPolicyTests
{
    [Fact]
    public void Fixed_and_exponential_delays_follow_the_policy_up_to_the_cap()
    {
        var fixedPolicy = RetryPolicy.Fixed(TimeSpan.FromSeconds(3));
        var exponential = RetryPolicy.Exponential(TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(5), jitter: false);

        Assert.Equal([3, 3, 3], new[] { 1, 2, 3 }.Select(t => fixedPolicy.DelayAfter(t).TotalSeconds));
        Assert.Equal([1, 2, 4, 5, 5], new[] { 1, 2, 3, 4, 5 }.Select(t => exponential.DelayAfter(t).TotalSeconds));
        Assert.Throws<ArgumentOutOfRangeException>(() => exponential.DelayAfter(0));
    }

    [Fact]
    public void Jitter_draws_each_delay_between_half_and_all_of_its_nominal_value()
    {
        var policy = RetryPolicy.Exponential(TimeSpan.FromSeconds(8));

        var delays = Enumerable.Range(0, 200).Select(_ => policy.DelayAfter(2).TotalSeconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, 8, 16));
        Assert.True(delays.Distinct().Count() > 50, "jitter should spread the delays");
    }

    [Fact]
    public void The_attribute_builds_the_same_policy()
    {
        var settings = new JobFunctionAttribute { RetryDelaySeconds = 2, RetryExponential = true, MaxRetryDelaySeconds = 30, MaxTries = 6 }.ToSettings();

        Assert.Equal(new RetryPolicy { Delay = TimeSpan.FromSeconds(2), Factor = 2, MaxDelay = TimeSpan.FromSeconds(30) }, settings.Retry);
        Assert.Null(new JobFunctionAttribute().ToSettings().Retry);
    }
}
