using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Validation;

/// <summary>A validation failure in the exchange's terms.</summary>
internal sealed record ValidationFailure(int Code, string Message);
