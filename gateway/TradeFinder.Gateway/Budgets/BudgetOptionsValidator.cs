using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Budgets;

[OptionsValidator]
internal sealed partial class BudgetOptionsValidator : IValidateOptions<BudgetOptions>;
