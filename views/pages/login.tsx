import type { ViewerModel } from '../../src/web/view-models/viewer.ts';
import { Layout } from '../components/layout.tsx';

/** The token is checked on the server (constant time); the browser then holds only an HttpOnly session cookie. */
export function LoginPage(props: { viewer: ViewerModel; error?: string }) {
  const { viewer } = props;
  return (
    <Layout title="Log in" viewer={viewer} active="login">
      <section class="panel narrow">
        <h2>Log in</h2>
        {!viewer.tokenConfigured ? (
          <p class="hint">
            No dashboard token is configured, so there is nothing to log in to: set <code>QS_DASHBOARD_TOKEN</code> in the environment and restart.
          </p>
        ) : viewer.loggedIn ? (
          <p>
            You are logged in. <a href="/">Back to the dashboard</a>.
          </p>
        ) : (
          <form method="post" action="/login" class="stack">
            <label for="token">Dashboard token (QS_DASHBOARD_TOKEN)</label>
            <input id="token" name="token" type="password" autocomplete="current-password" required maxlength={512} autofocus />
            <button type="submit">Log in</button>
          </form>
        )}
        {props.error ? (
          <p class="result fail" role="alert" data-testid="login-error" safe>
            {props.error}
          </p>
        ) : (
          ''
        )}
      </section>
    </Layout>
  );
}
