using System.ComponentModel.DataAnnotations;

namespace Vigil.Alerting.Notifications;

/// <summary>
/// The notifiers (<c>Vigil:Alerting</c>): a notifier is on only when its key is set — <c>Webhook:Url</c>,
/// <c>Slack:WebhookUrl</c>, <c>PagerDuty:RoutingKey</c> — and every one shares <see cref="Delivery"/>.
/// Validated when the host starts; an error names the key, never its value (URLs and keys are secrets).
/// </summary>
public sealed class NotificationOptions : IValidatableObject
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Vigil:Alerting";

    /// <summary>The generic webhook, in Alertmanager's format.</summary>
    public WebhookNotifierOptions Webhook { get; set; } = new();

    /// <summary>Slack's incoming webhook.</summary>
    public SlackNotifierOptions Slack { get; set; } = new();

    /// <summary>PagerDuty's Events API v2.</summary>
    public PagerDutyNotifierOptions PagerDuty { get; set; } = new();

    /// <summary>Queueing and retries.</summary>
    public NotificationDeliveryOptions Delivery { get; set; } = new();

    /// <summary>The webhook's URL, or null when it is off or not valid.</summary>
    public Uri? WebhookUri => HttpUri(Webhook.Url);

    /// <summary>Slack's webhook URL, or null when Slack is off or the URL is not valid.</summary>
    public Uri? SlackUri => HttpUri(Slack.WebhookUrl);

    /// <summary>PagerDuty's URL when a routing key is set, or null.</summary>
    public Uri? PagerDutyUri => string.IsNullOrWhiteSpace(PagerDuty.RoutingKey) ? null : HttpUri(PagerDuty.Url);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsSet(Webhook.Url) && WebhookUri is null)
        {
            yield return UrlError("Webhook:Url", nameof(Webhook));
        }

        if (IsSet(Slack.WebhookUrl) && SlackUri is null)
        {
            yield return UrlError("Slack:WebhookUrl", nameof(Slack));
        }

        if (IsSet(PagerDuty.RoutingKey) && PagerDutyUri is null)
        {
            yield return UrlError("PagerDuty:Url", nameof(PagerDuty));
        }

        var delivery = new List<ValidationResult>();
        if (Delivery is null)
        {
            yield return new ValidationResult($"{SectionName}:Delivery must not be null.", [nameof(Delivery)]);
        }
        else if (!Validator.TryValidateObject(Delivery, new ValidationContext(Delivery), delivery, validateAllProperties: true))
        {
            foreach (var error in delivery)
            {
                var members = error.MemberNames.Select(m => $"{SectionName}:Delivery:{m}").ToList();
                yield return new ValidationResult($"{string.Join(", ", members)}: {error.ErrorMessage}", [nameof(Delivery)]);
            }
        }
    }

    private static bool IsSet(string? value) => !string.IsNullOrWhiteSpace(value);

    // The value is not quoted back: a webhook URL is a credential.
    private static ValidationResult UrlError(string key, string member) =>
        new($"{SectionName}:{key} is not an absolute http or https URL.", [member]);

    private static Uri? HttpUri(string? value) =>
        IsSet(value) && Uri.TryCreate(value!.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;
}
