package dev.pontus.spring.example;

import dev.pontus.spring.UploadEvents;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/** A minimal app using the auto-configuration, with a stand-in for a login (the X-User header). */
@SpringBootApplication
public class ExampleApp {
    public final List<Object> events = new CopyOnWriteArrayList<>();

    @EventListener
    void onValidated(UploadEvents.Validated event) {
        events.add(event);
    }

    @EventListener
    void onRejected(UploadEvents.Rejected event) {
        events.add(event);
    }

    /** Signs the request in as the user named by X-User, as a security filter would. */
    @Bean
    Filter fakeLogin() {
        return (request, response, chain) -> {
            String user = ((HttpServletRequest) request).getHeader("X-User");
            chain.doFilter(
                    user == null
                            ? request
                            : new HttpServletRequestWrapper((HttpServletRequest) request) {
                                @Override
                                public Principal getUserPrincipal() {
                                    return () -> user;
                                }
                            },
                    response);
        };
    }
}
