using AstraTrade.Infrastructure.Scheduling;

namespace AstraTrade.Infrastructure.IntegrationTests.Scheduling;

public sealed class NCrontabParseErrorTests
{
    [Theory]
    [InlineData("*/5 * * * *", "needs 6")] // five fields: Azure's format has seconds
    [InlineData("*/5 * * * *", "leading seconds field")]
    [InlineData("0 0 * * * * *", "has 7 field(s)")]
    [InlineData("", "has 0 field(s)")]
    [InlineData("   ", "has 0 field(s)")]
    [InlineData("60 * * * * *", "second field")]
    [InlineData("60 * * * * *", "out of range 0-59")]
    [InlineData("0 60 * * * *", "minute field")]
    [InlineData("0 0 24 * * *", "hour field")]
    [InlineData("0 0 0 0 * *", "day field")]
    [InlineData("0 0 0 32 * *", "out of range 1-31")]
    [InlineData("0 0 0 * 13 *", "month field")]
    [InlineData("0 0 0 * 0 *", "month field")]
    [InlineData("0 0 0 * * 7", "day-of-week field")] // NCrontab's day-of-week is 0-6
    [InlineData("0 0 0 * * 7", "out of range 0-6")]
    [InlineData("0 1,,2 * * * *", "empty list item")]
    [InlineData("0 , * * * *", "minute field")]
    [InlineData("0 5- * * * *", "missing a value")]
    [InlineData("0 -5 * * * *", "missing a value")]
    [InlineData("0 */0 * * * *", "step")]
    [InlineData("0 */x * * * *", "step")]
    [InlineData("0 */ * * * *", "step")]
    [InlineData("0 0 22-2 * * *", "runs backwards")]
    [InlineData("0 0 0 ? * *", "day field")]
    [InlineData("0 0 0 L * *", "day field")]
    [InlineData("0 0 0 * * MON#2", "day-of-week field")]
    [InlineData("0 0 0 * FOO *", "JAN, FEB")]
    [InlineData("0 0 0 * J *", "month field")] // NCrontab would take any prefix; only JAN or JANUARY here
    [InlineData("0 0 0 * * MO", "day-of-week field")]
    [InlineData("0 0 MON * * *", "hour field")] // names only in month and day-of-week
    [InlineData("abc * * * * *", "second field")]
    [InlineData("+5 * * * * *", "second field")]
    [InlineData("99999999999 * * * * *", "second field")]
    public void Invalid_expressions_are_rejected_with_a_message_naming_the_problem(string expression, string expectedInMessage)
    {
        Assert.False(NCrontabSchedule.TryParse(expression, out var schedule, out var error));
        Assert.Null(schedule);
        Assert.Contains(expectedInMessage, error, StringComparison.Ordinal);

        var exception = Assert.Throws<FormatException>(() => NCrontabSchedule.Parse(expression));
        Assert.Equal(error, exception.Message);
    }

    [Theory]
    [InlineData("0 0 0 * jan-MAR sun-sat")]
    [InlineData("0 0 0 * January Monday")]
    [InlineData("0-59/10 0 0 1-31 1-12 0-6")]
    [InlineData("0 0 0 * * 0,6")]
    public void Valid_expressions_parse(string expression)
    {
        Assert.True(NCrontabSchedule.TryParse(expression, out var schedule, out var error), error);
        Assert.Equal(expression, schedule.Expression);
    }
}
