package io.dbops.dashboard.web;

import io.dbops.dashboard.auth.Principal;

/** What every page's layout needs: the title, who is signed in, the session's CSRF token, the active menu entry. */
public record Page(String title, Principal user, String csrf, String active) {

    public boolean dba() {
        return user != null && user.isDba();
    }

    public boolean admin() {
        return user != null && user.isAdmin();
    }
}
