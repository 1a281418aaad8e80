package io.avalonsync.sandbox;

/**
 * The errors {@link DriveSimulator} can be told to answer, each with the status, domain, reason and message
 * Google Drive uses for it (doc "Resolve errors").
 */
public enum DriveError {

    BAD_REQUEST(400, "global", "invalid", "Invalid Value"),
    UNAUTHORIZED(401, "global", "authError", "Invalid Credentials"),
    USER_RATE_LIMIT(403, "usageLimits", "userRateLimitExceeded", "User Rate Limit Exceeded."),
    RATE_LIMIT(403, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded"),
    SHARING_RATE_LIMIT(403, "global", "sharingRateLimitExceeded", "Rate limit exceeded. User message: \"Sorry, you have exceeded your sharing quota.\""),
    DAILY_LIMIT(403, "usageLimits", "dailyLimitExceeded", "Daily Limit Exceeded"),
    STORAGE_QUOTA(403, "global", "storageQuotaExceeded", "The user's Drive storage quota has been exceeded."),
    INSUFFICIENT_PERMISSIONS(403, "global", "insufficientFilePermissions", "The user does not have sufficient permissions for this file."),
    NOT_FOUND(404, "global", "notFound", "File not found."),
    TOO_MANY_REQUESTS(429, "usageLimits", "rateLimitExceeded", "Too Many Requests"),
    BACKEND_ERROR(500, "global", "backendError", "Internal Error"),
    SERVICE_UNAVAILABLE(503, "global", "backendError", "Service Unavailable");

    private final int status;
    private final String domain;
    private final String reason;
    private final String message;

    DriveError(int status, String domain, String reason, String message) {
        this.status = status;
        this.domain = domain;
        this.reason = reason;
        this.message = message;
    }

    public int status() {
        return status;
    }

    public String domain() {
        return domain;
    }

    public String reason() {
        return reason;
    }

    public String message() {
        return message;
    }
}
