import { ANONYMOUS, type ViewerModel } from '../../src/web/view-models/viewer.ts';
import { Layout } from '../components/layout.tsx';

export function ErrorPage(props: { status: number; message: string; viewer?: ViewerModel }) {
  return (
    <Layout title={`Error ${props.status}`} viewer={props.viewer ?? ANONYMOUS}>
      <section class="panel narrow">
        <h1>{props.status}</h1>
        <p safe>{props.message}</p>
        <p>
          <a href="/">Back to the dashboard</a>
        </p>
      </section>
    </Layout>
  );
}
