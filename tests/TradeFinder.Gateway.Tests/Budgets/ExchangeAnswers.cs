namespace TradeFinder.Gateway.Tests.Budgets;

/// <summary>An exchange answer carrying only the given headers (the rate-limit counters a budget reads).</summary>
internal static class ExchangeAnswers
{
    public static HttpResponseMessage WithHeaders(params (string Name, string Value)[] headers)
    {
        var answer = new HttpResponseMessage();
        foreach (var (name, value) in headers)
        {
            answer.Headers.TryAddWithoutValidation(name, value);
        }

        return answer;
    }
}
