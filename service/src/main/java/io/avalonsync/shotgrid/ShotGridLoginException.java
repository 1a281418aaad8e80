package io.avalonsync.shotgrid;

/** The ShotGrid script could not get a token: wrong name or key, missing settings, or an unreachable site. */
public class ShotGridLoginException extends ShotGridResponseException {

    public ShotGridLoginException(String message, int status, Integer code, String title, String detail, Object source,
            Throwable cause) {
        super(message, status, code, title, detail, source, cause);
    }

    public ShotGridLoginException(String message) {
        super(message);
    }
}
