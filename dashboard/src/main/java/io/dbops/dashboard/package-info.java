/**
 * The Javalin web app and JSON API: login and role/business-line scoping, live fleet views,
 * slow SQL, incidents, action runs and self-service request forms. It files requests; it never
 * executes playbooks itself.
 */
package io.dbops.dashboard;
